#!/bin/sh
# `make run`: creates the demo database on first run, prints the logins, serves the UI and API.
set -eu
cd "$(dirname "$0")/.."
db=${NRM_DB:-nrm.db}
listen=${NRM_LISTEN:-127.0.0.1:8080}
if [ ! -f "$db" ]; then
	build/nrm init --db "$db" --demo
fi
cat <<MSG

  nrm is starting on http://$listen

  Demo logins (password: demo):
    admin                   system administrator
    authority.chair         chair of the Responsible Authority
    authority.member        member of the Authority (seat b)
    authority.secretariat   secretariat of the Authority
    ministry.monitor        Ministry of Interior monitoring
    dpo                     auditor / data-protection officer
    COUNTY.secretariat      KRAT technical secretariat   (COUNTY: berat diber durres elbasan fier
    COUNTY.krat             KRAT member                   gjirokaster korce kukes lezhe shkoder
    COUNTY.table            Technical Table member        tirane vlore, e.g. fier.secretariat)
    COUNTY.caseworker       case worker, local police
    tirane.ngo              case worker of an NGO shelter

  The demo users log in without a second factor (a demo database only). To see the
  enrolment with an authenticator app, add a case worker and log in as them:
    echo 'a-long-demo-passphrase' | build/nrm user add --db $db --username new.caseworker \\
         --role caseworker --institution 2

  Stop with Ctrl-C.
MSG
exec build/nrm serve --db "$db" --listen "$listen"
