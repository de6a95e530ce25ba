// Every screen of the UI, as paths for a logged-in administrator (who may open all of them),
// found from the demo data. Shared by the walking tests and by screens.mjs.
import { pageApi, tiraneDay } from './browser.mjs';
import { apiAs } from './server.mjs';

export async function screenPaths(page) {
  const fier = (await pageApi(page, 'GET', '/counties/fier')).body;
  const krat = fier.bodies.find((x) => x.kind === 'krat');
  const body = (await pageApi(page, 'GET', `/bodies/${krat.id}`)).body;
  const vacant = body.seats.find((s) => s.status !== 'filled');
  const filled = body.seats.find((s) => s.status === 'filled');
  const authority = (await pageApi(page, 'GET', '/bodies?kind=authority')).body.items[0];
  const agreements = (await pageApi(page, 'GET', '/agreements?county=fier')).body.items;
  const users = (await pageApi(page, 'GET', '/users?county=fier')).body.items;
  const secretariat = users.find((u) => u.username === 'fier.secretariat');
  // One API token, so that their list shows what one looks like.
  const police = users.find((u) => u.username === 'fier.caseworker');
  const tokens = await pageApi(page, 'GET', '/tokens');
  if (tokens.status === 200 && !tokens.body.items.length) {
    await pageApi(page, 'POST', '/tokens', { client: 'fier-police', name: 'Sistemi i rasteve i Policisë Fier',
      role: 'caseworker', institution: police.institution, days: 90 });
  }
  return [
    ['counties', '/counties'],
    ['county', '/counties/fier'],
    ['body', `/bodies/${krat.id}`],
    ['body-vacant', `/bodies/${krat.id}?show=vacant`],
    ['authority', `/bodies/${authority.id}`],
    ['seat', `/seats/${filled.id}`],
    ['seat-vacant', `/seats/${vacant.id}`],
    ['seat-nominate', `/seats/${vacant.id}?do=nominate`],
    ['seat-replace', `/seats/${filled.id}?do=nominate`],
    ['overview', '/overview'],
    ['overview-county', '/overview?county=fier'],
    ['agreements', '/agreements'],
    ['agreements-county', '/agreements?county=fier'],
    ['agreement', `/agreements/${agreements[0].id}`],
    ['agreement-new', '/agreements/new?county=fier'],
    ['users', '/users'],
    ['user', `/users/${secretariat.id}`],
    ['user-new', '/users/new'],
    ['tokens', '/tokens'],
    ['api-docs', '/api-docs'],
    ['help', '/help'],
    ['help-caseworker', '/help/caseworker'],
    ['audit', '/audit'],
    ['figures', '/figures'],
    ['account', '/account'],
    ['not-found', '/no/such/page'],
  ];
}

// The case registry with something in it, set up through the API as the people who would do it:
// Fier's police registers a 15-year-old girl and refers her; the Authority meets and identifies
// her; she receives immediate assistance and is referred to the NGO shelter for a service; an
// adult man is registered and referred to the Authority's directorate for legal counselling; the
// girl is registered a second time in Tirana (a likely duplicate). Returns the codes and the
// paths of the case screens (for users who may open them: the Authority's secretariat).
export async function caseScreens(srv) {
  const today = tiraneDay(0).iso;
  const year = Number(today.slice(0, 4));
  const born = `${year - 15}${today.slice(4, 8)}01`;
  const fier = await apiAs(srv, 'fier.caseworker');
  const girl = {
    vic_TraffickingStatus: 'PossibleVictimOfTrafficking', prs_FirstName: 'Elona', prs_SecondName: 'Kraja',
    prs_Gender: 'Feminine', prs_Birthdate: born, al_identification_date: today, al_identifying_institution: 41,
    al_identifying_officer: 'Insp. Arben Kodra', al_identification_method: 'police', al_county: 'fier',
    al_municipality: 'fier', al_indicators_a: ['A01', 'A04'], al_indicators_c: ['C01'],
    al_documents: [{ al_document_type: 'national_id', al_document_number: 'J15052001A', al_document_country: 'AL' }],
  };
  const a = await fier.post('/cases', { fields: girl });
  await fier.post(`/cases/${a.code}/transitions`, {
    to: 'referral', version: 1, reason: 'Referuar te Autoriteti',
    fields: {
      cas_OutgoingReferralDate: today, cas_ReferredOrganisation: 282, prs_Citizenship: ['AL'],
      al_consents: [{ al_consent_purpose: 'data_processing', con_Consent: true, al_consent_by: 'parent', al_consent_date: today }],
      al_child_protection_worker: 'Arta Leka, NJMF Fier', al_best_interest_assessment_date: today,
    },
  });
  const secretariat = await apiAs(srv, 'authority.secretariat');
  const authority = (await secretariat.get('/bodies?kind=authority')).items[0];
  const meeting = await secretariat.post(`/bodies/${authority.id}/meetings`, { date: today, title: 'Mbledhja e 5-të e Autoritetit' });
  const chair = await apiAs(srv, 'authority.chair');
  await chair.post(`/cases/${a.code}/transitions`, {
    to: 'formal_identification', version: 2,
    fields: { al_authority_meeting: meeting.id, al_formal_decision: 'identified_victim', al_formal_decision_date: today,
      vic_TypeOfExploitation: ['SexualExploitation'], al_trafficking_scope: 'internal' },
  });
  await fier.post(`/cases/${a.code}/transitions`, {
    to: 'immediate_assistance', version: 3, fields: { al_assistance_start_date: today, al_immediate_services: ['medical', 'psychological'] },
  });
  await fier.post(`/cases/${a.code}/referrals`, { institution: 282, reason: 'Strehim i sigurt', service: 'accommodation', fields: ['prs_FirstName'] });
  const b = await fier.post('/cases', { fields: {
    vic_TraffickingStatus: 'PossibleVictimOfTrafficking', prs_FirstName: 'Besnik', prs_SecondName: 'Hoxha',
    prs_Gender: 'Masculine', al_estimated_age: 34, al_identification_date: today, al_identifying_institution: 41,
    al_identification_method: 'labour_inspection', al_county: 'fier', al_municipality: 'patos',
    al_indicators_a: ['A01'], al_indicators_b: ['B02'], al_indicators_c: ['C04'], vic_TypeOfExploitation: ['ForcedLabour', 'A_AgricultureForestryAndFishing'],
  } });
  await fier.post(`/cases/${b.code}/referrals`, { institution: 270, reason: 'Këshillim ligjor', service: 'legal', fields: [] });
  const twin = await secretariat.post('/cases', { institution: 282, fields: {
    ...girl, prs_FirstName: 'Elonä', prs_SecondName: 'KRAJA', al_identifying_institution: 282, al_identification_method: 'ngo',
    al_county: 'tirane', al_municipality: 'tirane', al_documents: undefined, al_identifying_officer: undefined,
  } });
  return {
    girl: a.code, man: b.code, twin: twin.code,
    paths: [
      ['cases', '/cases'],
      ['cases-filtered', '/cases?child=true&stage=immediate_assistance'],
      ['case-new', '/cases/new'],
      ['case', `/cases/${a.code}`],
      ['case-adult', `/cases/${b.code}`],
      ['case-edit', `/cases/${a.code}/edit`],
      ['referrals', '/referrals'],
      ['referrals-out', '/referrals?direction=out'],
      ['duplicates', '/duplicates'],
      ['duplicates-merged', '/duplicates?status=merged'],
      ['figures', '/figures'],
    ],
  };
}

// Meetings with something in them, set up through the API as Fier's secretariat would: a meeting
// of the Technical Table a week ago (an agenda item, an invited prosecutor, attendance with a
// member represented, a decision giving the police a task, minutes, the rules of procedure
// adopted, their file still to come), the next one today (held, the previous minutes awaiting
// approval, the open task followed up), and one scheduled in ten days and noticed (a notification
// for the county's secretariat and members); a letter in the register; the KRAT's rules still
// due. Returns the ids and the paths of the meeting screens (for Fier's secretariat) and of the
// tasks (for Fier's police case worker).
export async function meetingScreens(srv) {
  const today = tiraneDay(0).iso;
  const sec = await apiAs(srv, 'fier.secretariat');
  const table = (await sec.get('/bodies?kind=technical_table&county=fier')).items[0].id;
  const police = (await sec.get('/institutions?county=fier&limit=500')).items.find((i) => i.type === 'local_police').id;
  const a = await sec.post(`/bodies/${table}/meetings`, {
    date: tiraneDay(-7).iso, time: '10:00', end_time: '12:00', title: 'Mbledhja e tremujorit', location: 'Prefektura Fier, salla e mbledhjeve',
    agenda: [{ title: 'Raste të reja të identifikuara', presenter: 'Drejtoria Vendore e Policisë Fier' }],
    guests: [{ name: 'Arben Hoxha', organisation: 'Prokuroria e Rrethit Gjyqësor Fier', email: 'a.hoxha@example.org' }],
  });
  const seats = a.attendance.filter((s) => s.member);
  await sec.put(`/meetings/${a.id}/attendance`, {
    seats: seats.map((s, i) => (i === 1 ? { seat: s.seat, status: 'represented', substitute: 'Ilir Duka', authorisation: 'Autorizim nr. 45' }
      : { seat: s.seat, status: i === seats.length - 1 ? 'excused' : 'present' })),
    guests: a.guests.map((g) => ({ id: g.id, attended: true })),
  });
  const item = a.agenda.find((x) => x.kind === 'item');
  const decision = await sec.post(`/meetings/${a.id}/decisions`, {
    text: 'Policia e Fierit verifikon rastet e reja dhe raporton në mbledhjen e ardhshme.', item: item.id,
    votes: { for: seats.length - 1, against: 0, abstain: 0 },
    tasks: [{ title: 'Verifikimi i rasteve të reja', institution: police, due: tiraneDay(14).iso }],
  });
  await sec.put(`/meetings/${a.id}/minutes`, { summary: 'U shqyrtuan rastet e reja.', items: [{ item: item.id, minutes: 'Policia raportoi për dy raste të reja.' }] });
  await sec.post(`/bodies/${table}/documents`, { kind: 'rules_of_procedure', title: 'Rregullorja e funksionimit të Tryezës', adopted_in: a.id });
  const krat = (await sec.get('/bodies?kind=krat&county=fier')).items[0].id;
  const b = await sec.post(`/bodies/${table}/meetings`, { date: today, time: '15:00', location: 'Prefektura Fier' });
  await sec.put(`/meetings/${b.id}/attendance`, { seats: seats.map((s) => ({ seat: s.seat, status: 'present' })) });
  const c = await sec.post(`/bodies/${table}/meetings`, { date: tiraneDay(10).iso, time: '09:30', location: 'Prefektura Fier', title: 'Mbledhja e radhës' });
  await sec.post(`/meetings/${c.id}/notice`, {});
  await sec.post(`/bodies/${table}/correspondence`, { direction: 'in', day: today, party: 'Prokuroria e Rrethit Gjyqësor Fier',
    subject: 'Konfirmim i pjesëmarrjes', meeting: c.id });
  return {
    table, krat, police, first: a.id, next: b.id, later: c.id, task: decision.tasks[0],
    paths: [
      // Before the meeting is opened (which reads its notification).
      ['notifications-unread', '/notifications?show=unread'],
      ['notifications', '/notifications'],
      ['account-calendar', '/account'],
      ['meetings', '/meetings'],
      ['meetings-matrix', '/meetings?view=matrix'],
      ['correspondence', `/correspondence?body=${table}`],
      ['meetings-body', `/bodies/${table}/meetings`],
      ['meetings-body-open', `/bodies/${table}/meetings?tasks=open`],
      ['meetings-krat', `/bodies/${krat}/meetings`],
      ['meeting-new', `/bodies/${table}/meetings/new`],
      ['meeting', `/meetings/${a.id}`],
      ['meeting-next', `/meetings/${b.id}`],
      ['meeting-later', `/meetings/${c.id}`],
      ['minutes', `/meetings/${a.id}/minutes`],
      ['task', `/tasks/${decision.tasks[0]}`],
    ],
    caseworkerPaths: [
      ['tasks', '/tasks'],
      ['tasks-open', '/tasks?status=open'],
      ['task-caseworker', `/tasks/${decision.tasks[0]}`],
      ['notifications-caseworker', '/notifications'],
      ['account-caseworker', '/account'],
    ],
  };
}

// The registers of prevention and cooperation with something in them, set up through the API as
// the people who would do it: Fier's police records a child at risk (a protective action decided
// by the Technical Table); Fier's secretariat an awareness campaign with one activity, and the
// county's emergency plan; the Ministry's monitor a national training with a member of Fier's
// KRAT. Everything happens in the last quarter that has ended (its figures may leave the
// county). Returns the codes and the paths of the screens, by who opens them.
export async function preventionScreens(srv) {
  const today = tiraneDay(0).iso;
  const now = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const y = now === 1 ? Number(today.slice(0, 4)) - 1 : Number(today.slice(0, 4));
  const q = now === 1 ? 4 : now - 1;
  // day(2, 10): the 10th of the quarter's second month.
  const day = (month, d) => `${y}-${String(3 * q - 3 + month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const police = await apiAs(srv, 'fier.caseworker');
  const sec = await apiAs(srv, 'fier.secretariat');
  const monitor = await apiAs(srv, 'ministry.monitor');
  const table = (await sec.get('/bodies?kind=technical_table&county=fier')).items[0].id;
  const krat = (await sec.get('/bodies?kind=krat&county=fier')).items[0].id;
  const member = (await sec.get(`/bodies/${krat}`)).seats.find((s) => s.member?.person).member;
  const institutions = (await sec.get('/institutions?county=fier&limit=500')).items;
  const inst = (type) => institutions.find((i) => i.type === type).id;
  const risk = await police.post('/registers/at_risk/entries', { fields: {
    subject: 'person', child: true, found_on: day(2, 10), found_by: table, county: 'fier', municipality: 'fier',
    risk_factors: ['school_dropout', 'child_labour'], status: 'open', first_name: 'Arta', last_name: 'Dervishi', birth_date: `${y - 13}-03-04`,
    sex: 'Feminine', situation: 'Ka braktisur shkollën dhe punon në treg.',
    actions: [{ action: 'school_reintegration', decided_by: table, decided_on: day(2, 12), institution: inst('regional_education'), state: 'ongoing' }],
  } });
  const campaign = await sec.post('/registers/campaigns/entries', { fields: {
    title: 'Shko në shkollë, jo në rrugë', county: 'fier', organiser: 'prefecture', start: day(3, 1), end: day(3, 28),
  } });
  const activity = await sec.post('/registers/awareness/entries', { fields: {
    title: 'Takim me nxënësit e shkollës “Çajupi”', activity: 'school_session', campaign: campaign.id, day: day(3, 15), county: 'fier',
    municipality: 'lushnje', place: 'Shkolla 9-vjeçare “Çajupi”, Lushnjë', organiser: inst('regional_education'), audience: ['pupils', 'teachers'],
    reach: [{ sex: 'female', age_group: '14_17', count: 40 }, { sex: 'male', age_group: '14_17', count: 35 }, { sex: 'female', age_group: '25_64', count: 6 }],
  } });
  const plan = await sec.post('/registers/emergency_plans/entries', { fields: {
    title: 'Plani i emergjencës së Qarkut Fier', county: 'fier', adopted_on: `${y}-01-01`, review_by: day(3, 20),
    contacts: [{ contact_role: 'Koordinatori i emergjencës', contact_institution: inst('prefecture'), phone: '034 222 333' }],
    steps: [{ step: 'Njoftohen anëtarët e KRAT-it dhe thirret mbledhja e jashtëzakonshme', step_institution: inst('prefecture'), within_hours: 24 }],
  } });
  const training = await monitor.post('/registers/trainings/entries', { fields: {
    title: 'Identifikimi i hershëm i viktimave të trafikimit', kind: 'training', topics: ['identification', 'child_protection'],
    organiser: 'ministry_interior', place: 'Tiranë', start: day(3, 14), end: day(3, 15), hours: 12,
    participants: [{ person: member.person, sex: 'male', certificate: true }, { name: 'Ana Lala', sex: 'female', certificate: true }],
  } });
  return {
    risk: risk.code, campaign: campaign.code, activity: activity.code, plan: plan.code, training: training.code, krat, person: member.person,
    caseworkerPaths: [
      ['register-at-risk', '/registers/at_risk'],
      ['entry-at-risk', `/registers/at_risk/${risk.code}`],
      ['entry-at-risk-new', '/registers/at_risk/new'],
    ],
    paths: [
      ['prevention', `/prevention?period=${y}Q${q}`],
      ['register-awareness', '/registers/awareness'],
      ['entry-campaign', `/registers/campaigns/${campaign.code}`],
      ['entry-awareness', `/registers/awareness/${activity.code}`],
      ['entry-awareness-new', '/registers/awareness/new'],
      ['entry-plan', `/registers/emergency_plans/${plan.code}`],
      ['entry-at-risk-secretariat', `/registers/at_risk/${risk.code}`],
      ['entry-training', `/registers/trainings/${training.code}`],
      ['body-training', `/bodies/${krat}/training`],
      ['person-trainings', `/persons/${member.person}/trainings`],
      ['certificate', `/trainings/${training.code}/certificate/0`],
    ],
    monitorPaths: [
      ['prevention-monitor', `/prevention?period=${y}Q${q}`],
    ],
  };
}

// The periodic reports with something in them, set up through the API as Fier's secretariat
// would: its KRAT's report for last year, with a summary written, submitted and approved in a
// meeting of the KRAT held today (so delivered to the Ministry); and a draft of this quarter's
// (its figures withheld until the quarter ends). Returns the ids and the paths of the report screens (for Fier's secretariat,
// and for the Ministry's monitor).
export async function reportScreens(srv) {
  const today = tiraneDay(0).iso;
  const y = Number(today.slice(0, 4));
  const now = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const sec = await apiAs(srv, 'fier.secretariat');
  const krat = (await sec.get('/bodies?kind=krat&county=fier')).items[0].id;
  const a = await sec.post('/reports', { type: 'krat-annual', scope: 'fier', period: String(y - 1) });
  await sec.patch(`/reports/${a.id}`, { version: 1, sections: { summary: 'KRAT-i u mblodh dy herë dhe shqyrtoi rastet e reja.' } });
  const v = await sec.post(`/reports/${a.id}/submit`, {});
  const m = await sec.post(`/bodies/${krat}/meetings`, { date: today, time: '10:00' });
  const full = await sec.get(`/meetings/${m.id}`);
  await sec.put(`/meetings/${m.id}/attendance`, { seats: full.attendance.filter((s) => s.member).map((s) => ({ seat: s.seat, status: 'present' })) });
  await sec.post(`/reports/${a.id}/approval`, { version: v.version, meeting: m.id });
  const b = await sec.post('/reports', { type: 'krat-quarterly', scope: 'fier', period: `${y}Q${now}` });
  return {
    delivered: a.id, draft: b.id, meeting: m.id, krat,
    paths: [['reports', '/reports'], ['report-delivered', `/reports/${a.id}`], ['report-draft', `/reports/${b.id}`]],
    monitorPaths: [['reports-monitor', '/reports'], ['report-monitor', `/reports/${a.id}`]],
  };
}
