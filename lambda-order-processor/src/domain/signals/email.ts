import MailChecker from 'mailchecker';
import type { RiskSignal } from '../order/order.js';
import { riskSignal } from './reason.js';
import type { SignalRule } from './signal.js';

export const EMAIL_DISPOSABLE_DOMAIN = 'EMAIL_DISPOSABLE_DOMAIN';
export const EMAIL_RESERVED_DOMAIN = 'EMAIL_RESERVED_DOMAIN';
export const EMAIL_CORPORATE_DOMAIN = 'EMAIL_CORPORATE_DOMAIN';
export const EMAIL_RANDOM_LOCAL_PART = 'EMAIL_RANDOM_LOCAL_PART';
export const EMAIL_SUSPICIOUS_WORD = 'EMAIL_SUSPICIOUS_WORD';

export const DISPOSABLE_DOMAIN_POINTS = -2.5;
export const RESERVED_DOMAIN_POINTS = -2;
/** Anyone can register a domain, so a corporate domain is only a slight plus; free-mail is neutral. */
export const CORPORATE_DOMAIN_POINTS = 0.3;
export const RANDOM_LOCAL_PART_POINTS = -0.7;
export const SUSPICIOUS_WORD_POINTS = -0.5;

const TOPIC = 'Email';

/** The maintained list (mailchecker) is the source of truth for disposable domains. */
const MAILCHECKER_DISPOSABLE_DOMAINS: ReadonlySet<string> = MailChecker.blacklist();
/** Known disposable providers that mailchecker 6.0.21 misses; candidates to send upstream. */
export const SUPPLEMENTARY_DISPOSABLE_DOMAINS: ReadonlySet<string> = new Set(['tempmail.com']);

/** RFC 2606 / RFC 6761 names: they can never receive mail. */
const RESERVED_DOMAIN_PATTERN = /(?:^|\.)example\.(?:com|net|org)$|\.(?:test|example|invalid|localhost)$|^localhost$/;

export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com', 'icloud.com', 'me.com', 'mac.com', 'mail.com', 'email.com', 'proton.me',
  'protonmail.com', 'pm.me', 'tutanota.com', 'fastmail.com', 'zoho.com', 'msn.com', 'ymail.com', 'rocketmail.com',
  'mail.ru', 'qq.com', '163.com', '126.com', 'web.de', 't-online.de', 'orange.fr', 'free.fr', 'laposte.net',
  'libero.it', 'hushmail.com', 'inbox.com',
]);
/** Providers with one domain per country (yahoo.co.uk, gmx.de, outlook.fr, ...). */
const FREE_MAIL_FAMILY_PATTERN = /^(?:yahoo|hotmail|outlook|live|aol|gmx|yandex)\.[a-z]{2,3}(?:\.[a-z]{2})?$/;

/** Throwaway words; a token counts if it is one of these or starts with one of the prefixes. */
const SUSPICIOUS_WORDS: ReadonlySet<string> = new Set([
  'test', 'fake', 'random', 'asdf', 'qwerty', 'dummy', 'sample', 'temp', 'spam', 'junk', 'throwaway', 'nobody', 'none',
]);
const SUSPICIOUS_PREFIX_PATTERN = /^(?:test|fake|asdf|qwerty|dummy|throwaway)/;
const TOKEN_PATTERN = /[a-z]+/g;

/** A trailing birth year is common in real addresses, so it does not count as randomness. */
const TRAILING_YEAR_PATTERN = /(?:19|20)\d\d$/;
const DIGIT_HEAVY_MIN_DIGITS = 3;
const DIGIT_HEAVY_MIN_SHARE = 0.4;
const FEW_VOWELS_MIN_LETTERS = 6;
const FEW_VOWELS_MAX_SHARE = 0.15;
const CONSONANT_RUN_PATTERN = /[bcdfghjklmnpqrstvwxz]{4}/;
const INTERLEAVED_MIN_SWITCHES = 3;

function isDisposableDomain(domain: string): boolean {
  // mailchecker semantics: a subdomain of a listed domain is listed too.
  let candidate = domain;
  for (;;) {
    if (MAILCHECKER_DISPOSABLE_DOMAINS.has(candidate) || SUPPLEMENTARY_DISPOSABLE_DOMAINS.has(candidate)) return true;
    const dot = candidate.indexOf('.');
    if (dot === -1) return false;
    candidate = candidate.slice(dot + 1);
  }
}

export function isFreeMailDomain(domain: string): boolean {
  return FREE_MAIL_DOMAINS.has(domain) || FREE_MAIL_FAMILY_PATTERN.test(domain);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(code: number): boolean {
  return code >= 97 && code <= 122;
}

function isVowel(code: number): boolean {
  return code === 97 || code === 101 || code === 105 || code === 111 || code === 117 || code === 121;
}

/** Why a (lower-cased) local part looks machine-made, or null when it looks like a person's. */
export function randomnessOf(localPart: string): string | null {
  const counted = localPart.replace(TRAILING_YEAR_PATTERN, '');
  let digits = 0;
  let letters = 0;
  let vowels = 0;
  let switches = 0;
  let previousKind = 0; // 1 letter, 2 digit, 0 other
  for (let index = 0; index < counted.length; index++) {
    const code = counted.charCodeAt(index);
    const kind = isLetter(code) ? 1 : isDigit(code) ? 2 : 0;
    if (kind === 1) {
      letters++;
      if (isVowel(code)) vowels++;
    } else if (kind === 2) digits++;
    if (kind !== 0 && previousKind !== 0 && kind !== previousKind) switches++;
    previousKind = kind;
  }
  if (digits >= DIGIT_HEAVY_MIN_DIGITS && digits / counted.length >= DIGIT_HEAVY_MIN_SHARE) return 'digit-heavy';
  if (switches >= INTERLEAVED_MIN_SWITCHES) return 'letters and digits interleaved';
  if (
    letters >= FEW_VOWELS_MIN_LETTERS &&
    vowels / letters < FEW_VOWELS_MAX_SHARE &&
    CONSONANT_RUN_PATTERN.test(counted)
  ) {
    return 'hardly any vowels';
  }
  return null;
}

export function suspiciousWordIn(localPart: string): string | null {
  for (const match of localPart.matchAll(TOKEN_PATTERN)) {
    const token = match[0];
    if (SUSPICIOUS_WORDS.has(token)) return token;
    const prefix = SUSPICIOUS_PREFIX_PATTERN.exec(token);
    if (prefix !== null) return prefix[0];
  }
  return null;
}

function domainSignal(domain: string): RiskSignal | null {
  if (isDisposableDomain(domain)) {
    return riskSignal(EMAIL_DISPOSABLE_DOMAIN, DISPOSABLE_DOMAIN_POINTS, TOPIC, `disposable domain ${domain}`);
  }
  if (RESERVED_DOMAIN_PATTERN.test(domain)) {
    return riskSignal(EMAIL_RESERVED_DOMAIN, RESERVED_DOMAIN_POINTS, TOPIC, `reserved domain ${domain} cannot receive mail`);
  }
  if (!isFreeMailDomain(domain)) {
    return riskSignal(EMAIL_CORPORATE_DOMAIN, CORPORATE_DOMAIN_POINTS, TOPIC, `corporate domain ${domain}`);
  }
  return null;
}

export const emailRule: SignalRule = (context) => {
  const email = context.order.customerEmail.trim().toLowerCase();
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  const plus = email.indexOf('+');
  // Sub-address tags (name+shop@) are the owner's own labels, not part of the identity.
  const localPart = email.slice(0, plus !== -1 && plus < at ? plus : at);

  const signals: RiskSignal[] = [];
  const fromDomain = domainSignal(domain);
  if (fromDomain !== null) signals.push(fromDomain);
  const randomness = randomnessOf(localPart);
  if (randomness !== null) {
    signals.push(riskSignal(EMAIL_RANDOM_LOCAL_PART, RANDOM_LOCAL_PART_POINTS, TOPIC, `random-looking address, ${randomness}`));
  }
  const word = suspiciousWordIn(localPart);
  if (word !== null) {
    signals.push(riskSignal(EMAIL_SUSPICIOUS_WORD, SUSPICIOUS_WORD_POINTS, TOPIC, `throwaway word "${word}" in address`));
  }
  return signals;
};
