/**
 * Characters that render like Latin letters in common fonts (a subset of Unicode's confusables.txt,
 * UTS #39 §4, for the scripts IDN homograph attacks use: Cyrillic, Greek, Armenian, Latin
 * look-alikes), and the digit/letter swaps of ASCII typosquats. Each maps to the Latin skeleton.
 */
export const CONFUSABLE: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', с: 'c', ԁ: 'd', е: 'e', һ: 'h', і: 'i', ј: 'j', к: 'k', ӏ: 'l', м: 'm', н: 'h', о: 'o', р: 'p',
  ԛ: 'q', ѕ: 's', т: 't', у: 'y', х: 'x', ԝ: 'w', ь: 'b', ү: 'y', ɡ: 'g', ѵ: 'v', ԍ: 'g',
  // Greek
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w', ϲ: 'c',
  // Armenian
  օ: 'o', ս: 'u', հ: 'h', ո: 'n', ց: 'g', ք: 'p',
  // Latin look-alikes without a decomposition
  ı: 'i', ȷ: 'j', ł: 'l', ɩ: 'i', ƅ: 'b', ɑ: 'a', ø: 'o', đ: 'd', ħ: 'h',
  // Digits typed for letters
  '0': 'o', '1': 'l', '3': 'e', '5': 's', '6': 'b', '8': 'b', '9': 'g',
};

/** Letter pairs that read as one letter at a glance (rn → m, vv → w, cl → d). Applied after CONFUSABLE. */
export const CONFUSABLE_PAIRS: [string, string][] = [
  ['rn', 'm'],
  ['vv', 'w'],
  ['cl', 'd'],
];
