"""Write seed/demo/offers.json: the demo's experts, teams, partnerships and trainings.

    python -m capmatch.seed.demo_offers   # rewrites seed/demo/offers.json (deterministic)

The file is generated so that 170-odd offers stay consistent with the hand-written needs, and
committed so the data can be reviewed like any other seed file. Most needs get two to five
candidates that pass every hard rule; a few are left without any, each for one clear reason, so
the gap analysis has something to say:

- monusco-juvenile-justice: Lingala at B2 is required and no offer speaks Lingala (language);
- amisom-maritime-border: the AU mission takes AU members' nationals only, and every border
  management expert comes from outside the AU (eligibility);
- minusma-explosive-threat: no mine action specialist is available before March 2027 (availability);
- unama-anti-corruption: the only Dari speaker's security screening lapses mid-assignment
  (credentials), the others do not speak Dari (language);
- unmit-police-development: Tetum at B1 is required and the only Tetum speakers on offer are the
  Timorese finance ministry's staff, who offer public finance, not policing (language).
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

import pycountry

from capmatch.enums import int_to_cefr
from capmatch.seed import DEMO_DIR
from capmatch.seed.files import organization_key, read_json
from capmatch.seed.names import email_local_part, make_name
from capmatch.seed.taxonomy import skills_by_area

SEED = 2027
NO_CANDIDATES = {"monusco-juvenile-justice", "amisom-maritime-border", "minusma-explosive-threat", "unama-anti-corruption"}
MINE_ACTION_EARLIEST = date(2027, 3, 1)
GLOBAL_NORTH = {"NOR", "SWE", "FIN", "DEU", "CHE", "GBR", "CAN", "FRA", "BEL", "PRT"}


def _day(value: str) -> date:
    return date.fromisoformat(value)


def _add_months(day: date, months: int) -> date:
    return day + timedelta(days=round(months * 30.44))


class Generator:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.config = read_json(DEMO_DIR / "generator.json")
        self.orgs = {organization_key(org): org for org in read_json(DEMO_DIR / "organizations.json")}
        self.needs = read_json(DEMO_DIR / "needs.json")
        self.skills = skills_by_area()
        self.au = set(self.orgs["AU"]["members"])
        self.emails: set[str] = set()
        self.offers: list[dict] = []

    # -- who can answer a need ------------------------------------------------------------

    def _profile_fits(self, nationality: str, languages: list[dict]) -> bool:
        levels = {code: high for code, _low, high in self.config["language_profiles"][nationality]}
        return all(levels.get(need["code"], 0) >= need["min_level"] for need in languages)

    def _pairs(self, need: dict) -> list[tuple[str, str]]:
        pairs = []
        for acronym, provider in self.config["providers"].items():
            org = self.orgs[acronym]
            if "*" not in provider["areas"] and need["area_code"] not in provider["areas"]:
                continue
            if need["allowed_provider_kinds"] and org["kind"] not in need["allowed_provider_kinds"]:
                continue
            for nationality in provider["nationalities"]:
                if need["eligible_members_of"] == ["AU"] and nationality not in self.au:
                    continue
                if need["exclude_duty_nationals"] and nationality == need["duty_country_iso3"]:
                    continue
                if need["area_code"] == "border_management" and nationality in self.au:
                    continue  # keeps the AMISOM border need without an eligible candidate
                if self._profile_fits(nationality, need["languages"]):
                    pairs.append((acronym, nationality))
        return pairs

    def _pick_pairs(self, pairs: list[tuple[str, str]], count: int) -> list[tuple[str, str]]:
        """Distinct providers first (a pool-rich body like the AU must not crowd out the rest),
        Southern ones three times as likely: South-South cooperation is what CapMatch is for."""
        by_provider: dict[str, list[str]] = {}
        for acronym, nationality in pairs:
            by_provider.setdefault(acronym, []).append(nationality)
        chosen: list[tuple[str, str]] = []
        while by_provider and len(chosen) < count:
            providers = list(by_provider)
            weights = [1 + 2 * sum(n not in GLOBAL_NORTH for n in by_provider[a]) / len(by_provider[a]) for a in providers]
            acronym = self.rng.choices(providers, weights)[0]
            chosen.append((acronym, self.rng.choice(by_provider.pop(acronym))))
        return chosen

    # -- one expert -------------------------------------------------------------------------

    def _languages(self, nationality: str, required: list[dict]) -> list[dict]:
        minimum = {need["code"]: need["min_level"] for need in required}
        languages = []
        for code, low, high in self.config["language_profiles"][nationality]:
            level = self.rng.randint(max(low, min(minimum.get(code, low), high)), high)
            languages.append({"code": code, "level": level})
        return languages

    def _email(self, name: str, acronym: str) -> str:
        domain = email_local_part(acronym).replace(".", "-")
        base = f"{email_local_part(name)}@{domain}.example"
        email, n = base, 1
        while email in self.emails:
            n += 1
            email = base.replace("@", f"{n}@")
        self.emails.add(email)
        return email

    def _past_deployments(self, role: str, years: int) -> list[dict]:
        """Up to three earlier missions, one after another, ending before 2026."""
        deployments = []
        ended = date(self.rng.randint(2022, 2025), self.rng.randint(1, 12), 1)
        for _ in range(self.rng.choices([0, 1, 2, 3], [2, 4, 3, 1])[0] if years >= 4 else 0):
            mission, country = self.rng.choice(self.config["past_missions"])
            started = ended - timedelta(days=round(self.rng.randint(6, 24) * 30.44))
            appraisal = self.rng.choices([1, 2, 3, 4, 5], [1, 3, 10, 16, 10])[0]
            deployments.append({"country_iso3": country, "organization_name": mission, "role": role,
                                "started_on": started.isoformat(), "ended_on": ended.isoformat(),
                                "appraisal": appraisal})
            ended = started - timedelta(days=self.rng.randint(60, 400))
        return sorted(deployments, key=lambda d: d["started_on"])

    def expert(self, acronym: str, nationality: str, area: str, skills: list[str], years: int,
               required: list[dict], start: date, months: int, gender: str | None = None) -> dict:
        rng = self.rng
        gender = gender or ("female" if rng.random() < 0.45 else "male")
        name = make_name(rng, nationality, gender)
        role = self.config["area_roles"][area]
        title = ("Senior " + role if years >= 15 else role[0].upper() + role[1:])
        cluster_areas = [code for code, words in self.skills.items() if code != area and set(words) & set(skills)]
        areas = [area] + ([rng.choice(cluster_areas)] if cluster_areas and rng.random() < 0.4 else [])
        extra = [s for s in self.skills[area] if s not in skills]
        offer_skills = sorted(set(skills) | set(rng.sample(extra, min(len(extra), rng.randint(0, 2)))))
        available_from = start - timedelta(days=rng.randint(20, 150))
        if area == "mine_action":
            available_from = max(available_from, MINE_ACTION_EARLIEST)
        lead = rng.randint(14, max(14, min(90, (start - available_from).days)))
        until = None if rng.random() < 0.25 else _add_months(start, months) + timedelta(days=rng.randint(0, 200))
        south = nationality not in GLOBAL_NORTH
        cost = rng.randint(40, 90) * 100 if south else rng.randint(90, 160) * 100
        bearer = "provider" if acronym in self.config["provider_paid"] else rng.choices(["requester", "third_party"], [4, 1])[0]
        languages = self._languages(nationality, required)
        country = pycountry.countries.get(alpha_3=nationality).name
        spoken = ", ".join(f"{pycountry.languages.get(alpha_3=l['code']).name} ({int_to_cefr(l['level'])})" for l in languages)
        summary = (f"{title} from {country} with {years} years' experience "
                   f"({', '.join(s.replace('_', ' ') for s in offer_skills)}). Languages: {spoken}.")
        return {
            "provider": acronym, "kind": "individual_expert", "title": title, "summary": summary,
            "expert_name": name, "expert_email": self._email(name, acronym), "nationality_iso3": nationality,
            "gender": gender, "years_experience": years, "skills": offer_skills, "capacity": 1,
            "available_from": available_from.isoformat(), "available_until": until and until.isoformat(),
            "lead_time_days": lead, "max_duration_months": max(months, rng.choice([6, 12, 12, 18, 24])),
            "monthly_cost_usd": cost, "cost_bearer": bearer,
            "screening_valid_until": date(rng.randint(2028, 2030), rng.randint(1, 12), 28).isoformat(),
            "credentials_valid_until": None if rng.random() < 0.3 else date(rng.randint(2029, 2031), 6, 30).isoformat(),
            "status": "available", "areas": areas, "languages": languages,
            "past_deployments": self._past_deployments(title, years),
        }

    # -- the whole file -----------------------------------------------------------------------

    def candidates_for(self, need: dict) -> None:
        if need["seed_key"] in NO_CANDIDATES or need["status"] in ("cancelled", "closed"):
            return
        count = 1 if need["status"] == "filled" else min(need["positions"] + self.rng.randint(1, 3), 5)
        start = _day(need["start_by"])
        for acronym, nationality in self._pick_pairs(self._pairs(need), count):
            years = max(0, need["min_years_experience"] + self.rng.randint(-2, 9))
            skills = self.rng.sample(need["skills"], self.rng.randint(1, len(need["skills"])))
            gender = "female" if (need["gender_target"] or 0) >= 1 else None
            offer = self.expert(acronym, nationality, need["area_code"], skills, years, need["languages"],
                                start, need["duration_months"], gender)
            self.offers.append(offer)

    def special_cases(self) -> None:
        """Near misses that make the gap analysis say something, and rules exercised on purpose."""
        dari = self.expert("SU", "GBR", "anti_corruption", ["asset_declarations", "financial_investigations"], 14,
                           [], date(2027, 5, 1), 12, "female")
        dari["languages"].append({"code": "prs", "level": 5})
        dari["summary"] += " Also speaks Dari (C1), learned during six years in Kabul."
        dari["screening_valid_until"] = "2027-09-30"  # lapses before a 12-month assignment from May ends
        self.offers.append(dari)
        for nationality, acronym in (("KEN", "KSG"), ("IND", "DPA")):
            self.offers.append(self.expert(acronym, nationality, "anti_corruption", ["anti_corruption_strategy", "audit"],
                                           11, [{"code": "eng", "min_level": 5}], date(2027, 5, 1), 12))
        # Screening already lapsed, or lapsing mid-assignment: the credential rule has work to do.
        for index, offer in enumerate(o for o in self.offers[::17] if o["kind"] == "individual_expert"):
            offer["screening_valid_until"] = "2026-05-31" if index % 2 else "2027-06-30"
        # A withdrawn expert and an expert already deployed elsewhere.
        self.offers[5]["status"] = "withdrawn"
        self.offers[40]["status"] = "withdrawn"

    def roster_extras(self, count: int) -> None:
        """Experts on file that no demo need asked for: a roster is broader than today's needs."""
        areas = list(self.skills)
        for _ in range(count):
            acronym = self.rng.choice(list(self.config["providers"]))
            provider = self.config["providers"][acronym]
            nationality = self.rng.choice(provider["nationalities"])
            choices = [a for a in areas if "*" in provider["areas"] or a in provider["areas"]]
            choices = [a for a in choices if not (a == "border_management" and nationality in self.au)]
            area = self.rng.choice(choices)
            skills = self.rng.sample(self.skills[area], 2)
            start = date(2027, self.rng.randint(1, 12), 1)
            self.offers.append(self.expert(acronym, nationality, area, skills, self.rng.randint(3, 22), [], start, 12))

    def institutional(self) -> None:
        for entry in read_json(DEMO_DIR / "institutional_offers.json"):
            org = self.orgs[entry["provider"]]
            self.offers.append({
                "provider": entry["provider"], "kind": entry["kind"], "title": entry["title"],
                "summary": entry["summary"], "expert_name": None, "expert_email": None,
                "nationality_iso3": org["country_iso3"], "gender": None,
                "years_experience": entry["years_experience"], "skills": entry["skills"],
                "capacity": entry["capacity"], "available_from": "2027-01-04", "available_until": "2028-12-31",
                "lead_time_days": 45, "max_duration_months": 12,
                "monthly_cost_usd": 8000 * entry["capacity"],
                "cost_bearer": "provider" if entry["provider"] in self.config["provider_paid"] else "third_party",
                "screening_valid_until": None, "credentials_valid_until": None, "status": "available",
                "areas": entry["areas"], "languages": [{"code": c, "level": l} for c, l in entry["languages"]],
                "past_deployments": [],
            })

    def generate(self) -> list[dict]:
        for need in self.needs:
            self.candidates_for(need)
        self.special_cases()
        self.roster_extras(20)
        self.institutional()
        for number, offer in enumerate(self.offers, start=1):
            offer["seed_key"] = f"offer-{number:03d}"
        return self.offers


def main() -> None:
    offers = Generator().generate()
    path = DEMO_DIR / "offers.json"
    path.write_text(json.dumps(offers, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(offers)} offers to {path}")


if __name__ == "__main__":
    main()
