/**
 * Domains people are commonly tricked with (mail providers, banks and payment, shops, social, office
 * suites, carriers). Kept short on purpose: a From domain is checked against these plus the account's
 * own and its correspondents' domains.
 */
export const POPULAR_DOMAINS = [
  'gmail.com', 'googlemail.com', 'google.com', 'outlook.com', 'hotmail.com', 'live.com', 'microsoft.com', 'office.com',
  'yahoo.com', 'icloud.com', 'apple.com', 'proton.me', 'protonmail.com', 'gmx.com', 'aol.com',
  'paypal.com', 'stripe.com', 'wise.com', 'revolut.com', 'americanexpress.com', 'visa.com', 'mastercard.com',
  'amazon.com', 'ebay.com', 'aliexpress.com', 'mercadolivre.com.br', 'mercadolibre.com', 'netflix.com', 'spotify.com',
  'facebook.com', 'instagram.com', 'whatsapp.com', 'linkedin.com', 'twitter.com', 'x.com', 'github.com', 'dropbox.com',
  'docusign.com', 'adobe.com', 'zoom.us', 'slack.com', 'dhl.com', 'fedex.com', 'ups.com', 'correios.com.br',
  'itau.com.br', 'bradesco.com.br', 'santander.com.br', 'caixa.gov.br', 'bb.com.br', 'nubank.com.br', 'gov.br',
];
