#!/usr/bin/env python3
"""Stand-in for `build/bench/gen` until it lands (bench/README.md, "Databases"): writes N
cases as CSV files in the layout `nrm import cases` reads, one file per registering
institution, so `bench/scale.sh` can fill a database through nrm's own import.

    interim_csv.py --rows N --seed S --dir DIR --db FILE
        writes DIR/<county>.csv (registered by that county's police) and DIR/ngo.csv (2% of
        the rows: the demo's Tirana NGO shelter, tirane.ngo's institution), the institutions
        read from FILE (made by `nrm init --demo --no-demo-cases`), and prints one line per
        file: "<name>\t<institution id>\t<rows>".
    interim_csv.py --rows N --seed S --one FILE --db FILE
        writes the same rows into one CSV, all registered by Fier's police (the import
        measurement: `nrm import cases FILE --as authority.secretariat --institution ID`).

Deterministic for a given N and S. Counties weighted roughly by population, ~30% children,
mostly women and girls, identification days 2016-2026. Names are made of syllables: nothing
here is a real person.
"""
import argparse
import datetime
import os
import random
import sqlite3

COUNTIES = [("tirane", 32), ("durres", 10), ("fier", 11), ("elbasan", 10), ("korce", 7), ("shkoder", 7),
            ("vlore", 7), ("berat", 4), ("lezhe", 4), ("diber", 4), ("kukes", 2), ("gjirokaster", 2)]
FORMS = [("SexualExploitation;Prostitution", 40), ("ForcedLabour;A_AgricultureForestryAndFishing", 12),
         ("ForcedBegging;al_StreetBegging", 18), ("al_ForcedCriminality;al_DrugDealing", 5),
         ("ForcedMarriage;al_ChildMarriage", 5), ("Servitude;al_DomesticServitude", 5),
         ("SexualExploitation;ForcedLabour", 15)]
METHODS = ["police", "proactive_mobile_unit", "hotline", "ngo", "border", "social_services", "self_report"]
HEADER = ("vic_TraffickingStatus,prs_FirstName,prs_SecondName,prs_Gender,prs_Birthdate,al_identification_date,"
          "al_identifying_institution,al_identification_method,al_county,al_indicators_a,al_indicators_c,"
          "vic_TypeOfExploitation,al_interpreter_needed\n")
SYL = ["ar", "be", "da", "el", "fa", "ge", "ili", "ko", "lu", "ma", "ne", "ora", "pe", "ri", "sa", "te", "va", "zo"]


def pick(rng, weighted):
    total = sum(w for _, w in weighted)
    r = rng.uniform(0, total)
    for v, w in weighted:
        r -= w
        if r <= 0:
            return v
    return weighted[-1][0]


def name(rng):
    return "".join(rng.choice(SYL) for _ in range(rng.randint(2, 3))).capitalize()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dir")
    ap.add_argument("--one")
    ap.add_argument("--db", required=True)
    a = ap.parse_args()
    db = sqlite3.connect(a.db)
    inst = dict(db.execute("SELECT c.slug, i.id FROM institutions i JOIN counties c ON c.id = i.county_id "
                           "WHERE i.type = 'local_police' AND i.name LIKE 'Drejtoria Vendore%'"))
    inst["ngo"] = db.execute("SELECT institution_id FROM users WHERE username = 'tirane.ngo'").fetchone()[0]
    db.close()
    rng = random.Random(a.seed)
    if bool(a.dir) == bool(a.one):
        ap.error("give --dir or --one")
    if a.dir:
        os.makedirs(a.dir, exist_ok=True)
    files, counts = {}, {}
    first = datetime.date(2016, 1, 1).toordinal()
    last = datetime.date(2026, 10, 31).toordinal()
    for _ in range(a.rows):
        county = pick(rng, COUNTIES)
        key = "ngo" if rng.random() < 0.02 else county
        if key == "ngo":
            county = "tirane"
        if a.one:
            key = "fier"
        if key not in files:
            files[key] = open(a.one or os.path.join(a.dir, key + ".csv"), "w", encoding="utf-8")
            files[key].write(HEADER)
            counts[key] = 0
        day = datetime.date.fromordinal(rng.randint(first, last))
        age = rng.randint(8, 17) if rng.random() < 0.3 else rng.randint(18, 55)
        born = datetime.date.fromordinal(day.toordinal() - age * 365 - rng.randint(1, 300))
        sex = "Feminine" if rng.random() < 0.75 else "Masculine"
        files[key].write(",".join([
            "PossibleVictimOfTrafficking", name(rng), name(rng), sex, born.isoformat(), day.isoformat(),
            str(inst[key]), rng.choice(METHODS), county, "A01", "C01", pick(rng, FORMS),
            "1" if rng.random() < 0.1 else "0"]) + "\n")
        counts[key] += 1
    for key, f in files.items():
        f.close()
        print(f"{key}\t{inst[key]}\t{counts[key]}")


if __name__ == "__main__":
    main()
