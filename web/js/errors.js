// API errors in the user's language. The server answers in English with a stable code (and
// sometimes a field); the commonest messages are recognised so the user reads a precise
// sentence, otherwise the code's general sentence.
import { ApiError } from './api.js';
import { t, fmtDate, has } from './i18n.js';

const DATE = '(\\d{4}-\\d{2}-\\d{2})';
const KNOWN = [
  [new RegExp(`already has a nomination from ${DATE}`), 'error.seatTaken'],
  [new RegExp(`already holds the seat from ${DATE}`), 'error.alreadyHolds'],
  [new RegExp(`a later membership starts on ${DATE}`), 'error.laterMembership'],
  [new RegExp(`before the start of the membership \\(${DATE}\\)`), 'error.endBeforeMembership'],
  [/must not be before/, 'error.endBeforeStart'],
  [/must be a date/, 'error.badDate'],
  [/must be an e-mail address/, 'error.badEmail'],
  [/changed by someone else/, 'error.stale'],
  [/username exists already/, 'error.usernameTaken'],
  [/password must have at least (\d+)/, 'error.passwordShort'],
  [/current password is wrong/, 'error.currentPassword'],
  [/belongs to a county/, 'error.needsCounty'],
  [/works nationally/, 'error.nationalNoCounty'],
  [/case worker belongs to an institution/, 'error.needsInstitution'],
  [/institution is in another county/, 'error.institutionCounty'],
  [/cannot disable yourself/, 'error.selfAdmin'],
  [/must be PDF, PNG, JPEG, ODT or Word/, 'error.docType'],
  [/not a PDF document/, 'error.notPdf'],
  [/document is empty/, 'error.docEmpty'],
  [/no document has been uploaded/, 'error.noDocument'],
  [/account locked after \d+ failed logins; try again in (\d+) minutes/, 'error.lockedMinutes'],
  [/account is disabled/, 'error.disabled'],
  [/wrong username or password/, 'error.wrongPassword'],
  [/is longer than (\d+) characters/, 'error.tooLong'],
  [/is required/, 'error.required'],
];

export function errorText(err) {
  if (!(err instanceof ApiError)) return t('error.internal');
  for (const [re, key] of KNOWN) {
    const m = re.exec(err.message || '');
    if (m) {
      const v = m[1] || '';
      return t(key, { date: fmtDate(v), n: v });
    }
  }
  const key = `error.${err.code}`;
  return has(key) ? t(key) : t('error.internal');
}
