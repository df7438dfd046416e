import {
  EMAIL_CORPORATE_DOMAIN,
  EMAIL_DISPOSABLE_DOMAIN,
  EMAIL_RANDOM_LOCAL_PART,
  EMAIL_RESERVED_DOMAIN,
  EMAIL_SUSPICIOUS_WORD,
  emailRule,
  isFreeMailDomain,
} from './email.js';
import { aContext, anOrder } from './testing/screening-context.js';

function signalsFor(customerEmail: string) {
  return emailRule(aContext({ order: anOrder({ customerEmail }) }));
}

const codesFor = (customerEmail: string) => signalsFor(customerEmail).map((signal) => signal.code);

describe('emailRule', () => {
  it('says nothing about a personal free-mail address', () => {
    expect(signalsFor('john.doe@gmail.com')).toEqual([]);
    expect(signalsFor('jane.smith@yahoo.com')).toEqual([]);
    expect(signalsFor('buyer@email.com')).toEqual([]);
  });

  it('flags disposable domains from the maintained list, its subdomains and the supplement', () => {
    expect(signalsFor('someone@mailinator.com')).toEqual([
      { code: EMAIL_DISPOSABLE_DOMAIN, points: -2.5, reason: 'Email: disposable domain mailinator.com (Very high risk)' },
    ]);
    expect(codesFor('someone@inbox.mailinator.com')).toEqual([EMAIL_DISPOSABLE_DOMAIN]);
    expect(codesFor('someone@tempmail.com')).toEqual([EMAIL_DISPOSABLE_DOMAIN]);
    expect(codesFor('Someone@TempMail.com')).toEqual([EMAIL_DISPOSABLE_DOMAIN]);
  });

  it('flags reserved domains that cannot receive mail', () => {
    expect(signalsFor('someone@example.com')).toEqual([
      { code: EMAIL_RESERVED_DOMAIN, points: -2, reason: 'Email: reserved domain example.com cannot receive mail (Very high risk)' },
    ]);
    expect(codesFor('someone@shop.test')).toEqual([EMAIL_RESERVED_DOMAIN]);
  });

  it('gives a corporate domain a slight plus', () => {
    expect(signalsFor('vip.customer@company.com')).toEqual([
      { code: EMAIL_CORPORATE_DOMAIN, points: 0.3, reason: 'Email: corporate domain company.com (Low risk)' },
    ]);
  });

  it('flags a digit-heavy local part and a throwaway word separately', () => {
    expect(signalsFor('test123@gmail.com')).toEqual([
      { code: EMAIL_RANDOM_LOCAL_PART, points: -0.7, reason: 'Email: random-looking address, digit-heavy (Medium risk)' },
      { code: EMAIL_SUSPICIOUS_WORD, points: -0.5, reason: 'Email: throwaway word "test" in address (Medium risk)' },
    ]);
    expect(signalsFor('random@gmail.com')).toEqual([
      { code: EMAIL_SUSPICIOUS_WORD, points: -0.5, reason: 'Email: throwaway word "random" in address (Medium risk)' },
    ]);
    expect(codesFor('asdfgh@gmail.com')).toEqual([EMAIL_SUSPICIOUS_WORD]);
    expect(codesFor('fake.user@gmail.com')).toEqual([EMAIL_SUSPICIOUS_WORD]);
  });

  it('recognises machine-made local parts', () => {
    expect(signalsFor('48213345@gmail.com')[0]?.reason).toBe('Email: random-looking address, digit-heavy (Medium risk)');
    expect(signalsFor('a8f3k9xqz@gmail.com')[0]?.reason).toBe(
      'Email: random-looking address, letters and digits interleaved (Medium risk)',
    );
    expect(signalsFor('xkcdqrtz@gmail.com')[0]?.reason).toBe('Email: random-looking address, hardly any vowels (Medium risk)');
  });

  it('does not mistake ordinary addresses for random ones', () => {
    expect(signalsFor('john1985@gmail.com')).toEqual([]);
    expect(signalsFor('knightsbridge.ltd@gmail.com')).toEqual([]);
    expect(signalsFor('contestant@gmail.com')).toEqual([]);
    expect(signalsFor('anna.k2@gmail.com')).toEqual([]);
  });

  it('ignores a sub-address tag', () => {
    expect(signalsFor('jane.smith+test123@gmail.com')).toEqual([]);
  });
});

describe('isFreeMailDomain', () => {
  it('knows single-domain providers and per-country families', () => {
    expect(['gmail.com', 'proton.me', 'yahoo.co.uk', 'gmx.de', 'outlook.fr', 'hotmail.com'].map(isFreeMailDomain)).toEqual([
      true, true, true, true, true, true,
    ]);
    expect(['company.com', 'yahoo.company.com', 'mail.acme.com'].map(isFreeMailDomain)).toEqual([false, false, false]);
  });
});
