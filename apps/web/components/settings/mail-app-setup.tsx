/**
 * How to set up a mail app: Thunderbird and Outlook find the servers themselves (autoconfig and
 * Autodiscover, issue 14); Apple devices take a configuration profile, downloaded here for the
 * signed-in account (GET /api/v1/settings/mobileconfig names the real host, ports and TLS modes).
 */
export function MailAppSetup() {
  return (
    <section className="settings-section" aria-labelledby="mail-app-setup-h">
      <h3 id="mail-app-setup-h">Set up a mail app</h3>
      <p>
        Thunderbird and Outlook find the server settings by themselves: enter your address and an app password. On an iPhone, iPad or Mac,
        install the configuration profile, then enter an app password when asked.
      </p>
      <p>
        <a className="btn" href="/api/v1/settings/mobileconfig" download>
          Download profile for Apple Mail
        </a>
      </p>
    </section>
  );
}
