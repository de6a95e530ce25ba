/* The schema of nrm.db, as numbered migrations. Timestamps are UTC ISO 8601 text, calendar
 * dates "YYYY-MM-DD". */
#include "store/schema.h"

#define NOW "(strftime('%Y-%m-%dT%H:%M:%SZ','now'))"

const char *const schema_migrations[STORE_SCHEMA_VERSION] = {
	/* 1: organisation registry, agreements, users, sessions, audit. */
	"CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE counties(id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, iso TEXT NOT NULL UNIQUE,"
	" name_sq TEXT NOT NULL, name_en TEXT NOT NULL);"
	"CREATE TABLE municipalities(id INTEGER PRIMARY KEY, county_id INTEGER NOT NULL REFERENCES counties(id),"
	" slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL);"
	"CREATE INDEX municipalities_county ON municipalities(county_id);"
	"CREATE TABLE institution_types(code TEXT PRIMARY KEY, level TEXT NOT NULL, krat_order INTEGER,"
	" per_municipality INTEGER NOT NULL DEFAULT 0, name_sq TEXT NOT NULL, name_en TEXT NOT NULL, source TEXT);"
	"CREATE TABLE institutions(id INTEGER PRIMARY KEY, type TEXT NOT NULL REFERENCES institution_types(code),"
	" county_id INTEGER REFERENCES counties(id), municipality_id INTEGER REFERENCES municipalities(id),"
	" name TEXT NOT NULL, name_en TEXT, active INTEGER NOT NULL DEFAULT 1,"
	" created_at TEXT NOT NULL DEFAULT " NOW ");"
	"CREATE INDEX institutions_county ON institutions(county_id, type);"
	"CREATE TABLE bodies(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, county_id INTEGER REFERENCES counties(id),"
	" municipality_id INTEGER REFERENCES municipalities(id), parent_id INTEGER REFERENCES bodies(id),"
	" name_sq TEXT NOT NULL, name_en TEXT NOT NULL, established TEXT, nomination_days INTEGER,"
	" meeting_every_months INTEGER, created_at TEXT NOT NULL DEFAULT " NOW ");"
	"CREATE INDEX bodies_county ON bodies(county_id, kind);"
	"CREATE UNIQUE INDEX bodies_one_per_county ON bodies(kind, county_id) WHERE kind <> 'municipal_group';"
	"CREATE TABLE seats(id INTEGER PRIMARY KEY, body_id INTEGER NOT NULL REFERENCES bodies(id),"
	" code TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('chair','member','secretary')),"
	" institution_id INTEGER REFERENCES institutions(id), label_sq TEXT NOT NULL, label_en TEXT NOT NULL,"
	" position INTEGER NOT NULL, UNIQUE(body_id, code));"
	"CREATE TABLE persons(id INTEGER PRIMARY KEY, name TEXT NOT NULL, position TEXT, email TEXT, phone TEXT,"
	" institution_id INTEGER REFERENCES institutions(id), created_at TEXT NOT NULL DEFAULT " NOW ");"
	"CREATE INDEX persons_name ON persons(name COLLATE NOCASE);"
	"CREATE TABLE nominations(id INTEGER PRIMARY KEY, seat_id INTEGER NOT NULL REFERENCES seats(id),"
	" person_id INTEGER NOT NULL REFERENCES persons(id), start TEXT NOT NULL, end TEXT, note TEXT,"
	" created_by INTEGER, created_at TEXT NOT NULL DEFAULT " NOW ","
	" CHECK (end IS NULL OR end >= start));"
	"CREATE INDEX nominations_seat ON nominations(seat_id, start);"
	"CREATE INDEX nominations_person ON nominations(person_id);"
	"CREATE TABLE guests(id INTEGER PRIMARY KEY, body_id INTEGER NOT NULL REFERENCES bodies(id),"
	" name TEXT NOT NULL, organisation TEXT, reason TEXT, start TEXT NOT NULL, end TEXT,"
	" created_at TEXT NOT NULL DEFAULT " NOW ", CHECK (end IS NULL OR end >= start));"
	"CREATE INDEX guests_body ON guests(body_id);"
	"CREATE TABLE documents(id INTEGER PRIMARY KEY, filename TEXT NOT NULL, mime TEXT NOT NULL,"
	" size INTEGER NOT NULL, sha256 TEXT NOT NULL, data BLOB NOT NULL, uploaded_by INTEGER,"
	" uploaded_at TEXT NOT NULL DEFAULT " NOW ");"
	"CREATE TABLE agreements(id INTEGER PRIMARY KEY, county_id INTEGER NOT NULL REFERENCES counties(id),"
	" counterpart_kind TEXT NOT NULL CHECK (counterpart_kind IN"
	"  ('prosecution_first','prosecution_appeal','ngo_nrm','ngo_other')),"
	" counterpart TEXT NOT NULL, title TEXT NOT NULL, signed TEXT NOT NULL, valid_from TEXT, valid_until TEXT,"
	" note TEXT, document_id INTEGER REFERENCES documents(id), version INTEGER NOT NULL DEFAULT 1,"
	" created_at TEXT NOT NULL DEFAULT " NOW ", updated_at TEXT NOT NULL DEFAULT " NOW ","
	" CHECK (valid_until IS NULL OR valid_until >= signed));"
	"CREATE INDEX agreements_county ON agreements(county_id);"
	"CREATE TABLE users(id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
	" role TEXT NOT NULL, county_id INTEGER REFERENCES counties(id),"
	" institution_id INTEGER REFERENCES institutions(id), password_hash TEXT NOT NULL,"
	" disabled INTEGER NOT NULL DEFAULT 0, lang TEXT NOT NULL DEFAULT 'sq' CHECK (lang IN ('sq','en')),"
	" failed_logins INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0,"
	" created_at TEXT NOT NULL DEFAULT " NOW ", password_changed_at TEXT NOT NULL DEFAULT " NOW ");"
	"CREATE TABLE sessions(token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
	" csrf TEXT NOT NULL, created_at INTEGER NOT NULL, last_seen INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE TABLE audit(id INTEGER PRIMARY KEY, ts TEXT NOT NULL DEFAULT " NOW ", user_id INTEGER,"
	" username TEXT NOT NULL, action TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT,"
	" before_json TEXT, after_json TEXT, reason TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
	"CREATE INDEX audit_entity ON audit(entity, entity_id);",
	/* 2: the National Database of victims and potential victims (Instruction 132 §6),
	 * its form definitions, events, referrals, duplicates, and the meetings decisions are
	 * recorded against. Personal fields live only encrypted in case_personal. */
	"CREATE TABLE forms(name TEXT PRIMARY KEY, json TEXT NOT NULL, loaded_at TEXT NOT NULL DEFAULT " NOW ");"
	"ALTER TABLE counties ADD COLUMN case_prefix TEXT;"
	"CREATE TABLE meetings(id INTEGER PRIMARY KEY, body_id INTEGER NOT NULL REFERENCES bodies(id), date TEXT NOT NULL,"
	" kind TEXT NOT NULL DEFAULT 'ordinary' CHECK (kind IN ('ordinary','extraordinary')), title TEXT, location TEXT,"
	" created_by INTEGER, created_at TEXT NOT NULL DEFAULT " NOW ");"
	"CREATE INDEX meetings_body ON meetings(body_id, date);"
	"CREATE TABLE cases(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, county_id INTEGER NOT NULL REFERENCES counties(id),"
	" year INTEGER NOT NULL, seq INTEGER NOT NULL, stage TEXT NOT NULL, closed_from TEXT, status TEXT NOT NULL,"
	" is_child INTEGER NOT NULL, sex TEXT, age_band TEXT, identified_on TEXT NOT NULL,"
	" holder_id INTEGER NOT NULL REFERENCES institutions(id), creator_id INTEGER NOT NULL REFERENCES institutions(id),"
	" data_json TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1, merged_into INTEGER REFERENCES cases(id),"
	" created_at TEXT NOT NULL DEFAULT " NOW ", updated_at TEXT NOT NULL DEFAULT " NOW ", UNIQUE(county_id, year, seq));"
	"CREATE INDEX cases_county ON cases(county_id, stage);"
	"CREATE INDEX cases_holder ON cases(holder_id);"
	"CREATE INDEX cases_creator ON cases(creator_id);"
	"CREATE TABLE case_personal(case_id INTEGER NOT NULL REFERENCES cases(id), field TEXT NOT NULL, value BLOB NOT NULL,"
	" PRIMARY KEY(case_id, field)) WITHOUT ROWID;"
	"CREATE TABLE case_blind(case_id INTEGER NOT NULL REFERENCES cases(id), kind TEXT NOT NULL, hash TEXT NOT NULL,"
	" PRIMARY KEY(case_id, kind, hash)) WITHOUT ROWID;"
	"CREATE INDEX case_blind_hash ON case_blind(hash);"
	"CREATE TABLE case_events(id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id), ts TEXT NOT NULL,"
	" user_id INTEGER, username TEXT NOT NULL, institution_id INTEGER, action TEXT NOT NULL, from_stage TEXT,"
	" to_stage TEXT, changes_json TEXT, reason TEXT, state_json TEXT NOT NULL);"
	"CREATE INDEX case_events_case ON case_events(case_id, id);"
	"CREATE INDEX case_events_ts ON case_events(ts);"
	"CREATE TABLE referrals(id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	" from_institution INTEGER NOT NULL REFERENCES institutions(id), to_institution INTEGER NOT NULL REFERENCES institutions(id),"
	" service TEXT, reason TEXT NOT NULL, fields_json TEXT NOT NULL DEFAULT '[]', status TEXT NOT NULL DEFAULT 'pending'"
	" CHECK (status IN ('pending','accepted','declined')), created_at TEXT NOT NULL DEFAULT " NOW ","
	" created_by INTEGER, responded_at TEXT, responded_by INTEGER, response_note TEXT);"
	"CREATE INDEX referrals_to ON referrals(to_institution, status);"
	"CREATE INDEX referrals_case ON referrals(case_id);"
	"CREATE TABLE duplicates(id INTEGER PRIMARY KEY, case_a INTEGER NOT NULL REFERENCES cases(id),"
	" case_b INTEGER NOT NULL REFERENCES cases(id), reason TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'open'"
	" CHECK (status IN ('open','merged','dismissed')), created_at TEXT NOT NULL DEFAULT " NOW ", resolved_at TEXT,"
	" resolved_by INTEGER, CHECK (case_a < case_b), UNIQUE(case_a, case_b));"
	"CREATE TABLE personal_reads(session TEXT NOT NULL, case_id INTEGER NOT NULL REFERENCES cases(id),"
	" reason TEXT NOT NULL, ts INTEGER NOT NULL, PRIMARY KEY(session, case_id)) WITHOUT ROWID;",
	/* 3: a folded copy of each member's name (case and diacritics removed) for search. */
	"ALTER TABLE persons ADD COLUMN search TEXT;"
	"UPDATE persons SET search = lower(name);"
	"CREATE INDEX persons_search ON persons(search);",
	/* 4: a referral remembers who held the case when it was sent: the Authority refers cases
	 * it does not hold, and accepting hands the case over from that holder (for one still
	 * waiting: whoever holds the case now). Events of referrals and their answers, which
	 * carried only part of the case's state, get the rest from the event before them. */
	"ALTER TABLE referrals ADD COLUMN holder_id INTEGER REFERENCES institutions(id);"
	"UPDATE referrals SET holder_id = CASE status WHEN 'pending' THEN"
	" (SELECT c.holder_id FROM cases c WHERE c.id = referrals.case_id) ELSE from_institution END;"
	"UPDATE case_events SET state_json = json_patch((SELECT x.state_json FROM case_events x"
	"  WHERE x.case_id = case_events.case_id AND x.id < case_events.id"
	"  AND json_extract(x.state_json, '$.county') IS NOT NULL ORDER BY x.id DESC LIMIT 1), state_json)"
	" WHERE json_extract(state_json, '$.county') IS NULL AND EXISTS (SELECT 1 FROM case_events x"
	"  WHERE x.case_id = case_events.case_id AND x.id < case_events.id"
	"  AND json_extract(x.state_json, '$.county') IS NOT NULL);",
	/* 5: the dated facts of each case (what happened and on which day, apart from when it was
	 * recorded), the stages it entered and when, the values of the figures' dimensions, and
	 * the revisions of facts already counted. Figures are counts over these indexes. A case's
	 * age at identification is kept for the age bands of every table. */
	"ALTER TABLE cases ADD COLUMN age INTEGER;"
	"CREATE TABLE case_facts(id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	" kind TEXT NOT NULL, code TEXT, day TEXT NOT NULL, current INTEGER NOT NULL DEFAULT 1,"
	" event_id INTEGER REFERENCES case_events(id));"
	"CREATE INDEX case_facts_kind ON case_facts(kind, day, case_id);"
	"CREATE INDEX case_facts_case ON case_facts(case_id, kind, day);"
	"CREATE TABLE case_stages(id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	" stage TEXT NOT NULL, day TEXT NOT NULL, event_id INTEGER REFERENCES case_events(id));"
	"CREATE INDEX case_stages_case ON case_stages(case_id, day);"
	"CREATE TABLE case_dims(case_id INTEGER NOT NULL REFERENCES cases(id), dim TEXT NOT NULL, value TEXT NOT NULL,"
	" PRIMARY KEY(case_id, dim, value)) WITHOUT ROWID;"
	"CREATE INDEX case_dims_value ON case_dims(dim, value, case_id);"
	"CREATE TABLE fact_revisions(id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	" kind TEXT NOT NULL, old_code TEXT, old_day TEXT, new_code TEXT, new_day TEXT,"
	" event_id INTEGER REFERENCES case_events(id), ts TEXT NOT NULL);"
	"CREATE INDEX fact_revisions_old ON fact_revisions(old_day);"
	"CREATE INDEX fact_revisions_new ON fact_revisions(new_day);",
	/* 6: meetings that decide (Order 94 §1.4, §1.6, §1.7a-b, §2.2; Instruction 132 §§3, 7, 9,
	 * 14): a meeting's time and place or link, its state and calendar sequence, every
	 * reschedule and cancellation, the agenda with its references and minutes, attendance per
	 * seat, invited guests, materials, decisions with the quorum they were taken with, the
	 * minutes' approval and content hash, the tasks decisions create with their history, and
	 * each body's correspondence register and the notices sent. A body's meeting rules
	 * (frequency, quorum) come from data/org/bodies.json, stored as "org:bodies". */
	"ALTER TABLE meetings ADD COLUMN time TEXT;"
	"ALTER TABLE meetings ADD COLUMN end_time TEXT;"
	"ALTER TABLE meetings ADD COLUMN link TEXT;"
	"ALTER TABLE meetings ADD COLUMN status TEXT NOT NULL DEFAULT 'scheduled'"
	" CHECK (status IN ('scheduled','held','cancelled'));"
	"ALTER TABLE meetings ADD COLUMN cancel_reason TEXT;"
	"ALTER TABLE meetings ADD COLUMN uid TEXT;"
	"ALTER TABLE meetings ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE meetings ADD COLUMN version INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE meetings ADD COLUMN updated_at TEXT;"
	"ALTER TABLE meetings ADD COLUMN minutes_status TEXT NOT NULL DEFAULT 'draft'"
	" CHECK (minutes_status IN ('draft','approved'));"
	"ALTER TABLE meetings ADD COLUMN minutes_summary TEXT;"
	"ALTER TABLE meetings ADD COLUMN minutes_hash TEXT;"
	"ALTER TABLE meetings ADD COLUMN minutes_json TEXT;"
	"ALTER TABLE meetings ADD COLUMN approved_in INTEGER REFERENCES meetings(id);"
	"ALTER TABLE meetings ADD COLUMN amendments TEXT;"
	"UPDATE meetings SET uid = 'meeting-' || id || '@nrm', updated_at = created_at, status = 'held';"
	"CREATE UNIQUE INDEX meetings_uid ON meetings(uid);"
	"CREATE TABLE meeting_changes(id INTEGER PRIMARY KEY, meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
	" action TEXT NOT NULL, before_json TEXT, after_json TEXT, reason TEXT, user_id INTEGER, username TEXT,"
	" ts TEXT NOT NULL);"
	"CREATE INDEX meeting_changes_meeting ON meeting_changes(meeting_id, id);"
	"CREATE TABLE agenda_items(id INTEGER PRIMARY KEY, meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
	" position INTEGER NOT NULL, kind TEXT NOT NULL DEFAULT 'item', title TEXT NOT NULL, presenter TEXT,"
	" refs_json TEXT, minutes TEXT, UNIQUE(meeting_id, position));"
	"CREATE TABLE meeting_attendance(meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
	" seat_id INTEGER NOT NULL REFERENCES seats(id), status TEXT NOT NULL"
	" CHECK (status IN ('present','represented','excused','absent')), member TEXT, substitute TEXT,"
	" authorisation TEXT, PRIMARY KEY(meeting_id, seat_id)) WITHOUT ROWID;"
	"CREATE TABLE meeting_guests(id INTEGER PRIMARY KEY, meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
	" guest_id INTEGER REFERENCES guests(id), name TEXT NOT NULL, organisation TEXT, email TEXT,"
	" attended INTEGER);"
	"CREATE INDEX meeting_guests_meeting ON meeting_guests(meeting_id);"
	"CREATE TABLE meeting_documents(meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
	" document_id INTEGER NOT NULL REFERENCES documents(id), PRIMARY KEY(meeting_id, document_id)) WITHOUT ROWID;"
	"CREATE TABLE decisions(id INTEGER PRIMARY KEY, meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
	" item_id INTEGER REFERENCES agenda_items(id), number INTEGER NOT NULL, text TEXT NOT NULL,"
	" votes_for INTEGER, votes_against INTEGER, abstentions INTEGER, quorum INTEGER NOT NULL,"
	" case_id INTEGER REFERENCES cases(id), created_by INTEGER, created_at TEXT NOT NULL,"
	" UNIQUE(meeting_id, number));"
	"CREATE TABLE tasks(id INTEGER PRIMARY KEY, body_id INTEGER NOT NULL REFERENCES bodies(id),"
	" meeting_id INTEGER REFERENCES meetings(id), decision_id INTEGER REFERENCES decisions(id),"
	" title TEXT NOT NULL, institution_id INTEGER NOT NULL REFERENCES institutions(id),"
	" person_id INTEGER REFERENCES persons(id), due TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'open',"
	" version INTEGER NOT NULL DEFAULT 1, created_by INTEGER, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE INDEX tasks_institution ON tasks(institution_id, status, due);"
	"CREATE INDEX tasks_body ON tasks(body_id, status, due);"
	"CREATE INDEX tasks_person ON tasks(person_id);"
	"CREATE TABLE task_events(id INTEGER PRIMARY KEY, task_id INTEGER NOT NULL REFERENCES tasks(id),"
	" status TEXT NOT NULL, note TEXT, user_id INTEGER, username TEXT, ts TEXT NOT NULL);"
	"CREATE INDEX task_events_task ON task_events(task_id, id);"
	"CREATE TABLE correspondence(id INTEGER PRIMARY KEY, body_id INTEGER NOT NULL REFERENCES bodies(id),"
	" year INTEGER NOT NULL, number INTEGER NOT NULL, direction TEXT NOT NULL CHECK (direction IN ('out','in')),"
	" day TEXT NOT NULL, party TEXT NOT NULL, subject TEXT NOT NULL, document_id INTEGER REFERENCES documents(id),"
	" meeting_id INTEGER REFERENCES meetings(id), created_by INTEGER, created_at TEXT NOT NULL,"
	" UNIQUE(body_id, year, number));"
	"CREATE TABLE notices(id INTEGER PRIMARY KEY, meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
	" correspondence_id INTEGER REFERENCES correspondence(id), kind TEXT NOT NULL, recipient TEXT NOT NULL,"
	" seat_id INTEGER REFERENCES seats(id), guest_id INTEGER REFERENCES meeting_guests(id),"
	" user_id INTEGER REFERENCES users(id), channel TEXT NOT NULL, address TEXT, status TEXT NOT NULL,"
	" sent_at TEXT NOT NULL);"
	"CREATE INDEX notices_meeting ON notices(meeting_id);"
	"CREATE TABLE notifications(id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
	" kind TEXT NOT NULL, entity TEXT NOT NULL, entity_id INTEGER, params_json TEXT, created_at TEXT NOT NULL,"
	" read_at TEXT);"
	"CREATE INDEX notifications_user ON notifications(user_id, read_at, id);"
	"CREATE TABLE calendar_feeds(user_id INTEGER PRIMARY KEY REFERENCES users(id), token_hash TEXT NOT NULL UNIQUE,"
	" created_at TEXT NOT NULL);"
	"CREATE TABLE mail_outbox(id INTEGER PRIMARY KEY, notice_id INTEGER REFERENCES notices(id), recipient TEXT NOT NULL,"
	" subject TEXT NOT NULL, message TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'queued'"
	" CHECK (status IN ('queued','sent','failed')), attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,"
	" created_at TEXT NOT NULL, sent_at TEXT);"
	"CREATE INDEX mail_outbox_status ON mail_outbox(status, id);"
	"CREATE TABLE body_documents(id INTEGER PRIMARY KEY, body_id INTEGER NOT NULL REFERENCES bodies(id),"
	" kind TEXT NOT NULL, title TEXT NOT NULL, version INTEGER NOT NULL, adopted_in INTEGER REFERENCES meetings(id),"
	" adopted_on TEXT, due TEXT, document_id INTEGER REFERENCES documents(id), created_by INTEGER,"
	" created_at TEXT NOT NULL, UNIQUE(body_id, kind, version));",
	/* 7: the registers of prevention and cooperation (data/registers/): entries with their
	 * non-personal fields as JSON and the personal ones encrypted apart (as a case's), the
	 * references they make (people trained, institutions, meetings, tasks) for lookups, the
	 * history of each entry, and code sequences per register, county and year. */
	"CREATE TABLE register_entries(id INTEGER PRIMARY KEY, register TEXT NOT NULL, code TEXT NOT NULL UNIQUE,"
	" county_id INTEGER REFERENCES counties(id), holder INTEGER REFERENCES institutions(id), first_day TEXT,"
	" last_day TEXT, parent_id INTEGER REFERENCES register_entries(id), meeting_id INTEGER REFERENCES meetings(id),"
	" case_id INTEGER REFERENCES cases(id), data_json TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,"
	" created_by INTEGER, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE INDEX register_entries_list ON register_entries(register, county_id, first_day, id);"
	"CREATE INDEX register_entries_parent ON register_entries(parent_id);"
	"CREATE INDEX register_entries_case ON register_entries(case_id);"
	"CREATE TABLE register_seq(register TEXT NOT NULL, county_id INTEGER NOT NULL, year INTEGER NOT NULL,"
	" seq INTEGER NOT NULL, PRIMARY KEY(register, county_id, year)) WITHOUT ROWID;"
	"CREATE TABLE register_personal(entry_id INTEGER NOT NULL REFERENCES register_entries(id), field TEXT NOT NULL,"
	" value BLOB NOT NULL, PRIMARY KEY(entry_id, field)) WITHOUT ROWID;"
	"CREATE TABLE register_refs(entry_id INTEGER NOT NULL REFERENCES register_entries(id), kind TEXT NOT NULL,"
	" ref_id INTEGER NOT NULL, field TEXT NOT NULL);"
	"CREATE INDEX register_refs_ref ON register_refs(kind, ref_id);"
	"CREATE INDEX register_refs_entry ON register_refs(entry_id);"
	"CREATE TABLE register_events(id INTEGER PRIMARY KEY, entry_id INTEGER NOT NULL REFERENCES register_entries(id),"
	" action TEXT NOT NULL, changed_json TEXT, reason TEXT, user_id INTEGER, username TEXT, ts TEXT NOT NULL);"
	"CREATE INDEX register_events_entry ON register_events(entry_id, id);",
	/* 8: periodic reports (data/reports/): one per type, issuing body (none: the Ministry's) and
	 * period, drafted from the live data with the narrative its secretariat writes. */
	"CREATE TABLE reports(id INTEGER PRIMARY KEY, type TEXT NOT NULL, body_id INTEGER REFERENCES bodies(id),"
	" county_id INTEGER REFERENCES counties(id), period TEXT NOT NULL, first_day TEXT NOT NULL, last_day TEXT NOT NULL,"
	" due TEXT NOT NULL, meeting_id INTEGER REFERENCES meetings(id), status TEXT NOT NULL DEFAULT 'draft'"
	" CHECK (status IN ('draft','submitted','approved','delivered','acknowledged','returned')),"
	" narrative_json TEXT NOT NULL DEFAULT '{}', version INTEGER NOT NULL DEFAULT 1, created_by INTEGER,"
	" created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE UNIQUE INDEX reports_one ON reports(type, coalesce(body_id, 0), period);"
	"CREATE INDEX reports_county ON reports(county_id, type, first_day);",
	/* 9: a report's frozen versions (content, its SHA-256, the signature once approved, its
	 * delivery and the recipient's answer), and the approvals given to each version. */
	"CREATE TABLE report_versions(id INTEGER PRIMARY KEY, report_id INTEGER NOT NULL REFERENCES reports(id),"
	" version INTEGER NOT NULL, content_json TEXT NOT NULL, hash TEXT NOT NULL, reason TEXT, changes_json TEXT,"
	" submitted_by INTEGER, submitted_at TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'submitted'"
	" CHECK (status IN ('submitted','approved','superseded')), approved_at TEXT, signature TEXT, delivered_at TEXT,"
	" answer TEXT CHECK (answer IN ('acknowledged','returned')), answered_by INTEGER, answered_at TEXT,"
	" answer_comment TEXT, UNIQUE(report_id, version));"
	"CREATE TABLE report_approvals(id INTEGER PRIMARY KEY, report_id INTEGER NOT NULL REFERENCES reports(id),"
	" version INTEGER NOT NULL, seat_id INTEGER REFERENCES seats(id), user_id INTEGER, username TEXT,"
	" decision TEXT NOT NULL CHECK (decision IN ('approve','changes')), comment TEXT, ts TEXT NOT NULL);"
	"CREATE INDEX report_approvals_report ON report_approvals(report_id, version);",
	/* 10: the person an account belongs to (the member in a seat), for what members do in person:
	 * approving their body's reports. */
	"ALTER TABLE users ADD COLUMN person_id INTEGER REFERENCES persons(id);",
	/* 11: the PDF of each approved version as it was delivered, its SHA-256 and signature, so a
	 * delivered PDF can be checked byte for byte. */
	"ALTER TABLE report_versions ADD COLUMN pdf BLOB;"
	"ALTER TABLE report_versions ADD COLUMN pdf_hash TEXT;"
	"ALTER TABLE report_versions ADD COLUMN pdf_signature TEXT;"
	"CREATE INDEX report_versions_pdf ON report_versions(pdf_hash);",
	/* 12: a user's working day: an e-mail address for notifications, notifications sent once per
	 * occasion (dedup: e.g. a task's overdue day), the e-mail that carries a notification, and
	 * the drafts of long forms, sealed as personal data. */
	"ALTER TABLE users ADD COLUMN email TEXT;"
	"ALTER TABLE notifications ADD COLUMN dedup TEXT;"
	"CREATE UNIQUE INDEX notifications_once ON notifications(user_id, dedup) WHERE dedup IS NOT NULL;"
	"ALTER TABLE mail_outbox ADD COLUMN notification_id INTEGER REFERENCES notifications(id);"
	"CREATE TABLE drafts(id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), form TEXT NOT NULL,"
	" key TEXT NOT NULL, sealed BLOB NOT NULL, updated_at TEXT NOT NULL, UNIQUE(user_id, form, key));"
	"CREATE INDEX drafts_age ON drafts(updated_at);",
	/* 13: the auditor's queries of the trail: by user, by action over time, by time. IF NOT
	 * EXISTS: a database brought back to an older version keeps its indexes. */
	"CREATE INDEX IF NOT EXISTS audit_user ON audit(username, id);"
	"CREATE INDEX IF NOT EXISTS audit_action ON audit(action, ts);"
	"CREATE INDEX IF NOT EXISTS audit_ts ON audit(ts);",
	/* 14: (accounts) a second factor (TOTP): the secret sealed, one awaiting confirmation, the
	 * last time step used (a code is good once), single-use recovery codes stored as keyed
	 * hashes; demo users exempt by a mark only `nrm init --demo` sets; sessions that are only a
	 * first step (code awaited, or enrolment due); failed logins by account (keyed hash of the
	 * name typed) and address for the slowdown and the notice at the next login; browsers that
	 * logged in before (known devices: not slowed by a stranger's failures). */
	"ALTER TABLE users ADD COLUMN totp_secret TEXT;"
	"ALTER TABLE users ADD COLUMN totp_pending TEXT;"
	"ALTER TABLE users ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN totp_exempt INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN last_login_at INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'full' CHECK (stage IN ('full','code','enrol'));"
	"ALTER TABLE sessions ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE recovery_codes(user_id INTEGER NOT NULL REFERENCES users(id), hash TEXT NOT NULL,"
	" used_at INTEGER, PRIMARY KEY(user_id, hash));"
	"CREATE TABLE login_failures(id INTEGER PRIMARY KEY, account TEXT NOT NULL, user_id INTEGER REFERENCES users(id),"
	" addr TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('password','code')), ts INTEGER NOT NULL);"
	"CREATE INDEX login_failures_account ON login_failures(account, ts);"
	"CREATE INDEX login_failures_addr ON login_failures(addr, ts);"
	"CREATE INDEX login_failures_user ON login_failures(user_id, ts);"
	"CREATE TABLE known_devices(token_hash TEXT NOT NULL, user_id INTEGER NOT NULL REFERENCES users(id),"
	" created_at INTEGER NOT NULL, last_used INTEGER NOT NULL, PRIMARY KEY(token_hash, user_id));",
	/* 15 (audit & keys): each blind index row
	 * says which key version made it, so a key rotation can index under the new version beside
	 * the old (search keeps finding everyone meanwhile) and then drop the old. The audit chain's
	 * move to a keyed MAC needs the key, so it happens when a command opens the database with
	 * its key file (secure_audit_upgrade), not here. */
	"ALTER TABLE case_blind ADD COLUMN v INTEGER NOT NULL DEFAULT 1;"
	"CREATE INDEX case_blind_v ON case_blind(v);",
	/* 16 (reads at any size): the indexes lists read cases through, each in id order after its
	 * key (the rowid ends every index), so a page newest first below a cursor is a seek and a
	 * walk of one page: a county's cases, those referred to an institution and not declined,
	 * and the filters (stage, status, day of identification) that may match few. */
	"CREATE INDEX IF NOT EXISTS cases_county_id ON cases(county_id);"
	"CREATE INDEX IF NOT EXISTS cases_stage ON cases(stage);"
	"CREATE INDEX IF NOT EXISTS cases_status ON cases(status);"
	"CREATE INDEX IF NOT EXISTS cases_identified ON cases(identified_on);"
	"CREATE INDEX IF NOT EXISTS referrals_to_case ON referrals(to_institution, case_id, status);"
	/* ... and the home page's queues: what an institution holds by stage, the cases awaiting
	 * a decision by stage, the referrals it sent by status, the open pairs of duplicates. */
	"CREATE INDEX IF NOT EXISTS cases_holder_stage ON cases(holder_id, stage);"
	"CREATE INDEX IF NOT EXISTS cases_status_stage ON cases(status, stage);"
	"CREATE INDEX IF NOT EXISTS referrals_from ON referrals(from_institution, status);"
	"CREATE INDEX IF NOT EXISTS duplicates_status ON duplicates(status, created_at);",
	/* 17 (writes): bytes per case. A blind index hash is kept as its 32 bytes, not as 64 hex
	 * digits (it is stored twice: the table and the index by hash); the index by key version
	 * goes (only a key rotation asks for other versions, and it reads every case anyway). The
	 * table is rebuilt with the hash column declared BLOB, its rows converted. */
	"CREATE TABLE case_blind_new(case_id INTEGER NOT NULL REFERENCES cases(id), kind TEXT NOT NULL, hash BLOB NOT NULL,"
	" v INTEGER NOT NULL DEFAULT 1, PRIMARY KEY(case_id, kind, hash)) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO case_blind_new(case_id, kind, hash, v) SELECT case_id, kind, nrm_unhex(hash), v FROM case_blind;"
	"DROP TABLE case_blind;"
	"ALTER TABLE case_blind_new RENAME TO case_blind;"
	"CREATE INDEX IF NOT EXISTS case_blind_hash ON case_blind(hash);"
	/* An event keeps only what it changed: the values the keys of the non-personal state it
	 * changed had before it (was_json {"state": ...}; {} for a creation and for events that
	 * changed none of it), no longer the whole state after it (state_json). The state after
	 * any event is the case's state now with the events after it undone (case_states). Each
	 * stored state becomes what differs in the state of the event before it (booleans and
	 * nulls rebuilt as JSON: json_each gives them as SQL values). Events written from now on
	 * also keep the public fields' values before them ("fields"), so a creation keeps only
	 * the names of the personal fields it set; those written before keep their values. */
	"CREATE TEMP TABLE event_was(id INTEGER PRIMARY KEY, was TEXT);" /* by id: the UPDATE below looks each up */
	"INSERT INTO temp.event_was(id, was) SELECT e.id, (SELECT json_group_object(p.key, CASE p.type"
	"  WHEN 'true' THEN json('true') WHEN 'false' THEN json('false') WHEN 'null' THEN json('null') ELSE p.value END)"
	"  FROM json_each((SELECT x.state_json FROM case_events x WHERE x.case_id = e.case_id AND x.id < e.id"
	"   ORDER BY x.id DESC LIMIT 1)) p"
	"  WHERE NOT EXISTS (SELECT 1 FROM json_each(e.state_json) q WHERE q.key = p.key AND q.type = p.type"
	"   AND q.value IS p.value)) AS was FROM case_events e;"
	"UPDATE case_events SET state_json = (SELECT CASE WHEN w.was IS NULL OR w.was = '{}' THEN '{}'"
	" ELSE json_object('state', json(w.was)) END FROM temp.event_was w WHERE w.id = case_events.id);"
	"DROP TABLE temp.event_was;"
	"ALTER TABLE case_events RENAME COLUMN state_json TO was_json;",
	/* 18 (figures kept): a grid of counts of a calendar period, made when first counted and
	 * kept in line with every change of a case after (store/figunit.h), with the digest of the
	 * definitions it was counted by (defs); fig_epoch counts the times they were all forgotten. A later migration that changes facts, stages or
	 * dimensions of cases forgets them too. */
	"CREATE TABLE fig_units(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, defs TEXT NOT NULL, measure TEXT NOT NULL,"
	" first TEXT NOT NULL, last TEXT NOT NULL, status_in TEXT, a TEXT, b TEXT, made_at INTEGER NOT NULL);"
	"CREATE TABLE fig_cells(unit INTEGER NOT NULL REFERENCES fig_units(id), key TEXT NOT NULL, n INTEGER NOT NULL,"
	" PRIMARY KEY(unit, key)) WITHOUT ROWID;"
	"CREATE TABLE fig_epoch(n INTEGER NOT NULL);"
	"INSERT INTO fig_epoch(n) VALUES (0);"
	/* ... and the last number given after each prefix of a case code ("FR-2025-"): the next one
	 * was one more than the highest among the cases of that county and year now, so a case
	 * whose county or date was corrected left its number to be given again (and the case
	 * could not be saved). */
	/* No query reads the dimensions by value (each reads a case's own, by the primary key):
	 * their second copy goes (about 660 bytes a case). */
	"DROP INDEX IF EXISTS case_dims_value;"
	/* The home page's queues of open cases, oldest first: a page of each open stage through
	 * (key, stage, date) instead of every open case sorted. */
	"DROP INDEX IF EXISTS cases_holder_stage;"
	"CREATE INDEX cases_holder_stage ON cases(holder_id, stage, updated_at);"
	"DROP INDEX IF EXISTS cases_status_stage;"
	"CREATE INDEX cases_status_stage ON cases(status, stage, identified_on);"
	/* A period's referrals (their index holds all the figures read of them), and the merged
	 * cases they leave out (a few: a list, not a lookup of each referral's case). */
	"CREATE INDEX IF NOT EXISTS referrals_created ON referrals(created_at, case_id, status, responded_at);"
	"CREATE INDEX IF NOT EXISTS cases_merged ON cases(id) WHERE merged_into IS NOT NULL;"
	"CREATE TABLE case_seqs(prefix TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO case_seqs(prefix, last) SELECT rtrim(code, '0123456789'),"
	" max(CAST(substr(code, length(rtrim(code, '0123456789')) + 1) AS INTEGER)) FROM cases GROUP BY 1;",
	/* 19: an institution's list filtered by stage walks the cases it holds, and those it
	 * created, of that stage in id order (the rowid ends the index), instead of all of them
	 * checking the stage of each — a shelter holding thousands of closed cases asked for the
	 * few awaiting referral. */
	"CREATE INDEX IF NOT EXISTS cases_holder_by_stage ON cases(holder_id, stage);"
	"CREATE INDEX IF NOT EXISTS cases_creator_by_stage ON cases(creator_id, stage);",
	/* 20: the cases with a form of exploitation, by code (the figures' dimension holding the
	 * field's codes, store/case.h STORE_CODES_DIM): a list filtered by a rare form finds its
	 * few cases instead of reading every case's fields. Only that dimension: about 40 bytes a
	 * case, where an index of every dimension's values took 660. */
	"CREATE INDEX IF NOT EXISTS case_dims_exploitation ON case_dims(value, case_id) WHERE dim = 'exploitation_detail';",
	/* 21: a list row's fields (those the form marks "list") kept with the case, made as it is
	 * written (store/case.c LIST_KEPT): a list page read them out of each case's JSON with
	 * json_each, 70% of its time. NULL until the case domain first makes them all
	 * (case_list_refresh, at the next start: the names they are made from are forgotten). */
	"ALTER TABLE cases ADD COLUMN list_json TEXT;"
	"DELETE FROM settings WHERE key = 'list:fields';",
	/* 22: approximate matching (issue 16, docs/matching.md): each case's encodings, per key
	 * version, keyed by their block (a keyed tag of sex and birth year) so that a new case
	 * reads its blocks' rows as ranges; and the scores of the pairs they made candidates. A
	 * case written before is encoded when next written (or by `nrm dedup reindex`). */
	"CREATE TABLE IF NOT EXISTS case_match(block BLOB NOT NULL, case_id INTEGER NOT NULL REFERENCES cases(id),"
	" v INTEGER NOT NULL, enc BLOB NOT NULL, PRIMARY KEY(block, case_id, v)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS case_match_case ON case_match(case_id);"
	"CREATE TABLE IF NOT EXISTS duplicate_scores(duplicate_id INTEGER PRIMARY KEY REFERENCES duplicates(id),"
	" score REAL NOT NULL, agreed TEXT NOT NULL, seen BLOB NOT NULL);",
	/* 23: matching blocks by sex group (data/match/rules.json "blocking"): a case recorded as
	 * of unspecified or another sex is compared with every group, not only with its own code.
	 * The definitions a database holds gain the groups as shipped (`nrm forms load` replaces
	 * them); their digest changes, so the next start encodes every case again. */
	"UPDATE forms SET json = json_set(json, '$.blocking', json('{\"about\":\"Cases are compared within blocks of sex"
	" and birth year (the year and the years either side). A sex code named here blocks under its group; any other"
	" code and a missing one block as unknown, compared with every group.\",\"sex\":{\"Feminine\":\"F\","
	"\"Masculine\":\"M\"}}')) WHERE name = 'match:rules' AND json_extract(json, '$.blocking') IS NULL;",
	/* 24: the pending referrals of an institution, oldest first, as the home page's queues read
	 * them: a page and a bounded count instead of every pending referral sorted. */
	"CREATE INDEX IF NOT EXISTS referrals_to_pending ON referrals(to_institution, created_at, id)"
	" WHERE status = 'pending';"
	"CREATE INDEX IF NOT EXISTS referrals_from_pending ON referrals(from_institution, created_at, id)"
	" WHERE status = 'pending';",
	/* 25: a dismissed pair of duplicates comes back only when a case's identity changes, not
	 * when its encodings do: a key rotation or new definitions of matching re-encode every case
	 * and changed the digest of the encodings a dismissal was held against (the `seen` column,
	 * dropped). Each case's identity has a revision (none: 0), raised when a write changes what
	 * identifies the person (case_identity_of); a dismissal keeps its cases' revisions. Pairs
	 * dismissed before keep revision 0: held against the cases as they are. And every case encoded anew at the next start (then all compared at once): a key rotation
	 * made the encodings from the personal fields alone — no sex, no year from an estimated age. */
	"CREATE TABLE IF NOT EXISTS case_identity(case_id INTEGER PRIMARY KEY REFERENCES cases(id), rev INTEGER NOT NULL);"
	"ALTER TABLE duplicates ADD COLUMN rev_a INTEGER;"
	"ALTER TABLE duplicates ADD COLUMN rev_b INTEGER;"
	"ALTER TABLE duplicate_scores DROP COLUMN seen;"
	"DELETE FROM settings WHERE key = 'match:encoded';",
	/* 26: API tokens (issue 17): the key of an API client account, created by the administrator
	 * with an expiry, stored by its hash (the token itself is shown once), revocable. */
	"CREATE TABLE IF NOT EXISTS api_tokens(id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL UNIQUE REFERENCES users(id),"
	" token_hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL, created_by INTEGER NOT NULL REFERENCES users(id),"
	" created_at TEXT NOT NULL, expires_at INTEGER NOT NULL, revoked_at TEXT, revoked_by INTEGER REFERENCES users(id),"
	" last_used_at INTEGER);",
};
