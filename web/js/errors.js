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
  [/is needed to move the case to/, 'error.neededForStage'],
  [/is out of range/, 'error.outOfRange'],
  [/must be a code of the list|is not a code of the list|lists a code twice/, 'error.badCode'],
  [/is not in the county given in/, 'error.municipalityCounty'],
  [/must be one of the 12 county slugs|is not a county/, 'error.badCounty'],
  [/is in the future/, 'error.future'],
  [/is after the identification date/, 'error.birthAfterIdentification'],
  [/give prs_Birthdate or al_estimated_age/, 'error.birthOrAge'],
  [/must be a meeting of the Responsible Authority|is not a recorded meeting/, 'error.meeting'],
  [/is not an institution of the registry|institution is not in the registry/, 'error.badInstitution'],
  [/say why you need to read/, 'error.reason_required'],
  [/say why the referral is declined/, 'error.declineNote'],
  [/the case is already held by this institution/, 'error.alreadyHolder'],
  [/this case was merged into/, 'error.caseMerged'],
  [/nothing to change/, 'error.nothingToChange'],
  [/this pair was already/, 'error.pairResolved'],
  [/one of the cases was already merged/, 'error.alreadyMerged'],
  [/a closed case reopens to/, 'error.reopen'],
  [/a case cannot move from/, 'error.badTransition'],
  [/your role may not move a case to/, 'error.roleStage'],
  [/this referral was already answered/, 'error.referralAnswered'],
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
