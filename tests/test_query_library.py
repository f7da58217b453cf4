"""The query library (queries/*.rq): every query answers its question on the seed graph.

Answers are checked on curated facts, or as subsets, so that they stay true when
facts extracted automatically join the seed graph. Both engines must agree on
every query (a differential test: rdflib's engine is the reference).
"""

from decimal import Decimal

import pytest

from kg import sparql

#: every library query, with the parameters its tests use (the differential test runs them all)
CASES = {
    "proxies": {"patron": "Turkey"},
    "client-states": {"patron": "United States"},
    "patrons": {"client": "Failaq al-Sham"},
    "leaders": {},
    "agreements": {"actor": "Russia"},
    "parties": {"agreement": "Sochi agreement"},
    "in-region": {"region": "northwest Syria"},
    "hostilities": {"actor": "Turkey"},
    "cooperation": {"actor": "Russia"},
    "proxy-conflicts": {},
    "conflicts-of-interest": {},
    "evidence": {"a": "Russia", "b": "Failaq al-Sham"},
    "timeline": {"actor": "Turkey"},
    "claims": {"source": "Charles Lister"},
    "most-connected": {"method": "curated"},
    "members": {"organization": "NATO"},
    "search": {"text": "air strike"},
    "actors": {"class": "kg:State"},
    "articles": {},
}


@pytest.fixture(scope="module")
def engine(seed_project):
    return sparql.open_engine(seed_project / "build" / "store")


@pytest.fixture(scope="module")
def reference(seed_project):
    return sparql.open_engine(seed_project / "build" / "store", engine="rdflib")


def short(term):
    """kg:Turkey for an IRI of kg's namespace, the text of a literal, None when unbound."""
    if term is None:
        return None
    return sparql.prefixed(term.value) if type(term).__name__ == "NamedNode" else term.value


def ask(engine, name, **params):
    """The rows of a library query as dicts of short strings."""
    names, rows = sparql.select(engine, sparql.resolve_query(name), params)
    return [dict(zip(names, map(short, row), strict=True)) for row in rows]


def curated(rows):
    return [r for r in rows if r["method"] == "curated"]


def column(rows, name):
    return {r[name] for r in rows}


def test_the_library_has_at_least_15_queries_each_with_a_question_and_a_test():
    queries = sparql.library()
    assert len(queries) >= 15
    assert set(queries) == set(CASES), "every query in queries/ has a case here, and only those"
    for name, query in queries.items():
        assert query.description.endswith(("?", ".")) and "?" in query.description, name
        declared = {p.name for p in query.params}
        assert set(CASES[name]) <= declared, name
        assert declared <= sparql.query_variables(query.text), name


def test_proxies_of_turkey_by_label_alias_prefixed_name_or_iri(engine):
    rows = ask(engine, "proxies", patron="Turkey")
    assert column(rows, "patron") == {"kg:Turkey"}
    assert {"kg:FailaqAlSham", "kg:FreeSyrianArmy", "kg:NationalLiberationFront", "kg:SyrianOpposition",
            "kg:SyrianMercenaries"} <= column(rows, "client")
    assert not {"kg:Azerbaijan", "kg:GovernmentOfNationalAccord"} & column(rows, "client")  # a state, a government
    for same in ("Ankara", "turkey", "kg:Turkey", "<https://w3id.org/conflict-kg/Turkey>"):
        assert ask(engine, "proxies", patron=same) == rows


def test_every_patron_when_no_patron_is_given(engine):
    patrons = column(ask(engine, "proxies"), "patron")
    assert {"kg:Turkey", "kg:Russia", "kg:Iran", "kg:UnitedStates", "kg:Egypt"} <= patrons


#: the classes of every actor, to check what the proxy queries call a proxy
CLASSES = "SELECT ?actor ?class WHERE { ?actor a ?class FILTER(?class IN (kg:State, kg:ArmedGroup)) }"


def classes(engine):
    _, rows = sparql.select(engine, CLASSES)
    found = {}
    for actor, cls in rows:
        found.setdefault(short(actor), set()).add(short(cls))
    return found


def test_a_proxy_is_an_armed_group_a_state_backs_so_us_backing_turkey_makes_no_proxy(engine):
    # the seeds say "US backs Turkey": Turkey is the United States' client state, not its proxy
    assert ("kg:UnitedStates", "kg:Turkey") in {(r["patron"], r["client"]) for r in ask(engine, "patrons", client="Turkey")}
    assert column(ask(engine, "proxies", patron="United States"), "client") == {"kg:YPG"}
    conflicts = ask(engine, "proxy-conflicts")
    assert "kg:Turkey" not in column(conflicts, "proxy") and "kg:Syria" not in column(conflicts, "proxy")
    assert not [r for r in conflicts if r["state"] == "kg:UnitedStates" and r["rival"] in ("kg:Russia", "kg:Iran")]
    # the ontology's kg:ProxyGroup: an armed group backed by a state, in every proxy query
    kind = classes(engine)
    for row in ask(engine, "proxies"):
        assert "kg:State" in kind[row["patron"]] and "kg:ArmedGroup" in kind[row["client"]], row
    for row in conflicts:
        assert {"kg:State"} == kind[row["state"]] == kind[row["rival"]], row
        assert "kg:ArmedGroup" in kind[row["proxy"]], row
        assert row["target"] == row["rival"] or "kg:State" not in kind.get(row["target"], set()), row


def test_state_to_state_patronage_is_reported_apart(engine):
    pairs = {(r["patron"], r["client"]) for r in ask(engine, "client-states")}
    assert {("kg:UnitedStates", "kg:Turkey"), ("kg:Turkey", "kg:Azerbaijan"), ("kg:Russia", "kg:Syria")} <= pairs
    kind = classes(engine)
    assert all(kind[p] == kind[c] == {"kg:State"} for p, c in pairs)
    assert column(ask(engine, "client-states", patron="United States"), "client") == {"kg:Turkey"}
    assert column(ask(engine, "client-states", client="Syria"), "patron") == {"kg:Russia"}
    assert not pairs & {(r["patron"], r["client"]) for r in ask(engine, "proxies")}


def test_the_patrons_of_failaq_al_sham_and_of_syria(engine):
    assert "kg:Turkey" in column(ask(engine, "patrons", client="Failaq al-Sham"), "patron")
    assert column(curated(ask(engine, "patrons", client="Damascus")), "patron") == {"kg:Russia"}


def test_the_leaders_of_states_and_groups(engine):
    leaders = {(r["of"], r["leader"]) for r in curated(ask(engine, "leaders"))}
    assert {("kg:Turkey", "kg:RecepTayyipErdogan"), ("kg:Russia", "kg:VladimirPutin"),
            ("kg:Syria", "kg:BasharAlAssad"),
            ("kg:TurkishNationalMovement", "kg:MustafaKemalAtaturk")} <= leaders
    assert column(curated(ask(engine, "leaders", of="the Kremlin")), "leader") == {"kg:VladimirPutin"}


def test_the_agreements_russia_is_party_to(engine):
    agreements = column(ask(engine, "agreements", actor="Russia"), "agreement")
    assert {"kg:SochiAgreement2018", "kg:AstanaPeaceProcess", "kg:IdlibCeasefire2020", "kg:S400Purchase",
            "kg:NortheastSyriaDeal2019"} <= agreements


def test_the_parties_to_the_sochi_agreement(engine):
    rows = ask(engine, "parties", agreement="Sochi agreement")
    assert column(rows, "agreement") == {"kg:SochiAgreement2018"}
    assert {"kg:Russia", "kg:Turkey"} <= column(curated(rows), "party")


def test_who_operates_in_or_controls_northwest_syria_including_idlib(engine):
    rows = ask(engine, "in-region", region="northwest Syria")
    assert {"kg:Turkey", "kg:Syria", "kg:SyrianOpposition", "kg:HayatTahrirAlSham",
            "kg:FailaqAlSham"} <= column(rows, "actor")
    facts = {(r["actor"], r["relation"], r["place"]) for r in rows}
    assert ("kg:HayatTahrirAlSham", "kg:controls", "kg:IdlibProvince") in facts   # Idlib is within it
    assert ("kg:FailaqAlSham", "kg:operatesIn", "kg:JabalAlDweila") in facts
    assert not {r for r in column(rows, "place")} & {"kg:Tripoli", "kg:NagornoKarabakh"}


def test_hostilities_of_turkey_with_dates(engine):
    rows = ask(engine, "hostilities", actor="Turkey")
    assert all("kg:Turkey" in (r["subject"], r["object"]) for r in rows)
    facts = {(r["subject"], r["relation"], r["object"]) for r in rows}
    assert {("kg:Syria", "kg:attacked", "kg:Turkey"), ("kg:Turkey", "kg:attacked", "kg:Syria"),
            ("kg:Russia", "kg:opposes", "kg:Turkey"), ("kg:Turkey", "kg:opposes", "kg:YPG")} <= facts
    assert any(r["date"] and r["date"].startswith("2020-") for r in rows)
    everyone = ask(engine, "hostilities")
    assert ("kg:Russia", "kg:attacked", "kg:FailaqAlSham", "2020-10-26") in {
        (r["subject"], r["relation"], r["object"], r["date"]) for r in everyone}


def test_cooperation_with_russia(engine):
    rows = ask(engine, "cooperation", actor="Russia")
    facts = {(r["subject"], r["relation"], r["object"]) for r in curated(rows)}
    assert {("kg:Russia", "kg:cooperatesWith", "kg:Turkey"), ("kg:Iran", "kg:cooperatesWith", "kg:Russia"),
            ("kg:Russia", "kg:alliedWith", "kg:Syria")} <= facts
    assert all("kg:Russia" in (r["subject"], r["object"]) for r in rows)


def test_proxy_conflicts_between_states(engine):
    rows = {(r["state"], r["proxy"], r["relation"], r["target"], r["rival"]) for r in ask(engine, "proxy-conflicts")}
    # Libya: Russia's proxy, the LNA, opposes the GNA, the government Turkey backs
    assert ("kg:Russia", "kg:LibyanNationalArmy", "kg:opposes", "kg:GovernmentOfNationalAccord", "kg:Turkey") in rows
    # ... but the GNA is a government (an organization), no armed group: no one's proxy
    assert "kg:GovernmentOfNationalAccord" not in {proxy for _, proxy, *_ in rows}
    # Idlib: Turkey's proxy attacked Russia itself, and opposes Assad, whom Russia backs
    assert ("kg:Turkey", "kg:SyrianOpposition", "kg:attacked", "kg:Russia", "kg:Russia") in rows
    assert ("kg:Turkey", "kg:SyrianOpposition", "kg:opposes", "kg:BasharAlAssad", "kg:Russia") in rows
    # attacking Syria is fighting Syria, not Russia: a state Russia backs is no proxy of Russia's
    assert ("kg:Turkey", "kg:SyrianOpposition", "kg:attacked", "kg:Syria", "kg:Syria") in rows
    assert ("kg:Turkey", "kg:SyrianOpposition", "kg:attacked", "kg:Syria", "kg:Russia") not in rows
    assert all(state != rival for state, *_, rival in rows)
    only_turkey = ask(engine, "proxy-conflicts", state="Turkey")
    assert column(only_turkey, "state") == {"kg:Turkey"} and "kg:Russia" in column(only_turkey, "rival")


def test_conflicts_of_interest_turkey_and_russia_turkey_and_syria(engine):
    rows = ask(engine, "conflicts-of-interest")
    pairs = {(r["a"], r["b"]) for r in rows}
    assert {("kg:Russia", "kg:Turkey"), ("kg:Syria", "kg:Turkey")} <= pairs
    assert ("kg:Russia", "kg:Turkey", "kg:cooperatesWith", "kg:opposes") in {
        (r["a"], r["b"], r["cooperation"], r["hostility"]) for r in rows}
    assert all(a < b for a, b in pairs)


def test_the_evidence_for_russia_attacking_failaq_al_sham_either_way_round(engine):
    rows = ask(engine, "evidence", a="Russia", b="Failaq al-Sham")
    attacks = [r for r in rows if r["relation"] == "kg:attacked"]
    assert attacks and all(r["subject"] == "kg:Russia" and r["object"] == "kg:FailaqAlSham" for r in attacks)
    curated_attack = [r for r in attacks if r["method"] == "curated"]
    assert {r["date"] for r in curated_attack} == {"2020-10-26"}
    assert {r["article"] for r in curated_attack} == {"kg:article/004_087c4b6ece87af92"}
    assert any("Failaq al-Sham" in r["quote"] for r in curated_attack)
    assert all(Decimal(r["confidence"]) == 1 for r in curated_attack)
    assert ask(engine, "evidence", a="Failaq al-Sham", b="Russia") == rows
    assert ask(engine, "evidence", a="Russia", b="Failaq al-Sham", relation="kg:attacked") == attacks


def test_the_timeline_of_turkey_is_in_date_order(engine):
    rows = ask(engine, "timeline", actor="Turkey")
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates) and len(rows) > 20
    assert all("kg:Turkey" in (r["subject"], r["object"]) for r in rows)
    assert {"event", "article"} >= column(rows, "dated")
    assert ("1921", "kg:partyTo", "kg:TreatyOfAnkara1921") in {(r["date"], r["relation"], r["object"]) for r in rows}


def test_the_claims_of_charles_lister(engine):
    rows = ask(engine, "claims", source="Charles Lister")
    assert rows and column(rows, "source") == {"kg:source/CharlesLister"}
    assert column(rows, "kind") == {"Person"}
    assert ("kg:Turkey", "kg:backs", "kg:FailaqAlSham") in {(r["subject"], r["relation"], r["object"]) for r in rows}
    kinds = column(ask(engine, "claims"), "kind")
    assert {"Person", "Outlet", "Actor"} <= kinds


def test_turkey_is_the_most_connected_actor(engine):
    rows = ask(engine, "most-connected", method="curated")
    assert rows[0]["actor"] == "kg:Turkey"
    assert [r["actor"] for r in rows[:2]] == ["kg:Turkey", "kg:Russia"]
    partners = [int(r["partners"]) for r in rows]
    assert partners == sorted(partners, reverse=True)


def test_the_members_of_nato_and_turkeys_memberships(engine):
    assert "kg:Turkey" in column(ask(engine, "members", organization="NATO"), "member")
    assert "kg:NATO" in column(ask(engine, "members", member="Turkey"), "organization")


def test_search_the_quotes_for_a_phrase(engine):
    rows = ask(engine, "search", text="AIR STRIKE")
    assert ("kg:Russia", "kg:attacked", "kg:SyrianOpposition") in {
        (r["subject"], r["relation"], r["object"]) for r in rows}
    assert all("air strike" in r["quote"].lower() for r in rows)


def test_the_actors_of_a_class(engine):
    states = {r["actor"]: r for r in ask(engine, "actors", **{"class": "kg:State"})}
    assert {"kg:Turkey", "kg:Russia", "kg:Syria"} <= set(states)
    assert states["kg:Turkey"]["wikidata"] == "Q43" and states["kg:Turkey"]["label"] == "Turkey"
    proxies = column(ask(engine, "actors", **{"class": "kg:ProxyGroup"}), "actor")
    assert {"kg:FailaqAlSham", "kg:NationalLiberationFront"} <= proxies and "kg:Turkey" not in proxies


def test_the_articles_with_their_dates_and_publishers(engine):
    rows = {r["article"]: r for r in ask(engine, "articles")}
    assert {"kg:article/000_c6df2bf467275d66", "kg:article/004_087c4b6ece87af92"} <= set(rows)
    assert rows["kg:article/004_087c4b6ece87af92"]["issued"] == "2020-10-27"
    assert rows["kg:article/004_087c4b6ece87af92"]["publisher"] == "kg:source/AlJazeera"
    assert all(int(r["relations"]) > 0 and int(r["evidence"]) >= int(r["relations"]) for r in rows.values())


def canonical(term):
    """A term for comparing engines: numbers by value (1 and 1.0 are the same decimal)."""
    if term is None:
        return None
    if type(term).__name__ == "Literal" and term.datatype.value.rsplit("#", 1)[-1] in (
            "decimal", "integer", "double", "float"):
        return ("number", Decimal(term.value))
    return (type(term).__name__, term.value, getattr(term, "language", None))


@pytest.mark.parametrize("name", sorted(CASES))
def test_both_engines_give_the_same_answers(engine, reference, name):
    query = sparql.resolve_query(name)
    names, fast = sparql.select(engine, query, CASES[name])
    ref_names, slow = sparql.select(reference, query, CASES[name])
    assert names == ref_names
    assert fast, f"{name} gives no answer on the seed graph"
    key = lambda rows: sorted((tuple(map(canonical, r)) for r in rows), key=repr)  # noqa: E731
    assert key(fast) == key(slow)
