import { decodeEncodedWords } from '../message/encoded-words';

/**
 * RFC 5256 §2.1 base subject: the subject with reply/forward markers, [list] blobs and "(fwd)"
 * trailers removed, used by SORT SUBJECT and both THREAD algorithms. `isReplyOrForward` says whether
 * any Re:/Fw:/Fwd: leader, "(fwd)" trailer or "[fwd: ...]" wrapper was removed (RFC 5256's
 * "reply or forward" test in the REFERENCES subject merge).
 */
export interface BaseSubject {
  base: string;
  isReplyOrForward: boolean;
}

// subj-leader = (*subj-blob subj-refwd) / WSP; subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"
const LEADER = /^(?:(?:\[[^[\]]*\] *)*(re|fwd?) *(?:\[[^[\]]*\] *)?:| )/i;
const BLOB = /^\[[^[\]]*\] */;

export function extractBaseSubject(subject: string): BaseSubject {
  // (1) encoded words to UTF-8, whitespace runs (tabs, folds) to one space.
  let s = decodeEncodedWords(subject).replace(/[ \t\r\n]+/g, ' ');
  let isReplyOrForward = false;
  for (;;) {
    // (2) trailing "(fwd)" and whitespace (checked at the end, not by a regex scanning from the start).
    for (;;) {
      if (s.endsWith(' ')) s = s.slice(0, -1);
      else if (s.length >= 5 && s.slice(-5).toLowerCase() === '(fwd)') {
        s = s.slice(0, -5);
        isReplyOrForward = true;
      } else break;
    }
    // (3)-(5) leaders, and blobs that do not leave the subject empty.
    for (let changed = true; changed; ) {
      changed = false;
      for (let m = LEADER.exec(s); m; m = LEADER.exec(s)) {
        if (m[1] !== undefined) isReplyOrForward = true;
        s = s.slice(m[0].length);
        changed = true;
      }
      // The leader just failed after every run of leading blobs, so it fails after each shorter run
      // too: all leading blobs can go at once (keeping a last one that is the whole subject). This
      // keeps "[a][a][a]..." linear instead of one leader test per blob.
      for (let blob = BLOB.exec(s); blob && blob[0].length < s.length; blob = BLOB.exec(s)) {
        s = s.slice(blob[0].length);
        changed = true;
      }
    }
    // (6) "[fwd: subject]": unwrap and start again from (2).
    if (s.length >= 6 && s.slice(0, 5).toLowerCase() === '[fwd:' && s.endsWith(']')) {
      s = s.slice(5, -1);
      isReplyOrForward = true;
      continue;
    }
    return { base: s, isReplyOrForward };
  }
}

export function baseSubject(subject: string): string {
  return extractBaseSubject(subject).base;
}

/**
 * The comparison key of SORT strings and THREAD subjects: i;unicode-casemap (RFC 5051: each character
 * case-folded to its title/upper case, then fully decomposed), which on ASCII is RFC 5256's
 * i;ascii-casemap. Dovecot does the same, so "Álvaro" sorts beside "Alvaro", not after "Zoe".
 * JavaScript's string order (UTF-16 units) equals RFC 5051's octet order outside the astral planes.
 */
export function collationKey(text: string): string {
  return /^[\x00-\x7f]*$/.test(text) ? text.toUpperCase() : text.toUpperCase().normalize('NFD');
}
