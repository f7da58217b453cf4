"""Conflicts of interest: pairs that cooperate and are, at the same time, on opposite sides."""

import json

import networkx as nx
import pytest

from kg.analysis import Projection, network
from kg.analysis.conflicts import conflicts_of_interest
from kg.cli import cli
from kg.graph.build import build_dataset
from kg.inputs.corpus import load_corpus
from kg.inputs.facts import Fact
from kg.network import sign_of

CLASSES = {"Turkey": "State", "Russia": "State", "Syria": "State", "Iran": "State",
           "Rebels": "ArmedGroup", "Militia": "ArmedGroup", "Deal": "Agreement", "Idlib": "Region",
           "Government": "Organization", "Warlord": "Leader"}


def graph(*facts: str, quotes: int = 1) -> nx.MultiDiGraph:
    """A MultiDiGraph as kg.network makes it, from "Subject relation Object" strings."""
    g = nx.MultiDiGraph()
    for node, cls in CLASSES.items():
        g.add_node(node, cls=cls, label=node)
    for text in facts:
        s, p, o = text.split()
        g.add_edge(s, o, key=p, relation=p, sign=sign_of(p), statement=f"st/{s}.{p}.{o}",
                   evidence=[{"quote": f"{text} ({i})", "article": "a", "date": "", "confidence": 1.0}
                             for i in range(quotes)])
    return g


def pairs(found):
    return [(c.a, c.b) for c in found]


def test_a_pair_that_cooperates_and_opposes_directly_is_a_direct_conflict():
    found = conflicts_of_interest(graph("Turkey cooperatesWith Russia", "Russia opposes Turkey"))
    assert pairs(found) == [("Russia", "Turkey")]
    (c,) = found
    assert c.kind == "direct" and c.rank == 1
    assert [link.statement for chain in c.cooperative for link in chain.links] == ["st/Turkey.cooperatesWith.Russia"]
    assert [link.statement for chain in c.adversarial for link in chain.links] == ["st/Russia.opposes.Turkey"]
    assert c.score == pytest.approx(1.0)


def test_cooperation_or_hostility_alone_is_no_conflict():
    assert conflicts_of_interest(graph("Turkey cooperatesWith Russia", "Turkey attacked Syria")) == []
    assert conflicts_of_interest(graph("Russia opposes Turkey", "Russia attacked Rebels")) == []


def test_being_party_to_the_same_agreement_is_a_cooperative_tie():
    (c,) = conflicts_of_interest(graph("Turkey partyTo Deal", "Russia partyTo Deal", "Turkey attacked Russia"))
    (chain,) = c.cooperative
    assert chain.kind == "agreement" and chain.via == ("Deal",)
    assert [link.text() for link in chain.links] == ["Russia partyTo Deal", "Turkey partyTo Deal"]


def test_a_patron_whose_client_attacks_the_other_is_a_proxy_conflict():
    """A backs X and X attacks B."""
    (c,) = conflicts_of_interest(graph("Turkey cooperatesWith Russia", "Turkey backs Rebels",
                                       "Rebels attacked Russia"))
    assert c.kind == "proxy"
    (chain,) = c.adversarial
    assert chain.kind == "proxy" and chain.via == ("Rebels",)
    assert [link.text() for link in chain.links] == ["Rebels attacked Russia", "Turkey backs Rebels"]
    assert chain.weight == pytest.approx(0.5)   # one patronage step halves the chain


def test_an_attack_on_the_others_client_is_a_proxy_conflict():
    """Russia strikes a group Turkey backs (the Failaq al-Sham pattern)."""
    (c,) = conflicts_of_interest(graph("Turkey partyTo Deal", "Russia partyTo Deal",
                                       "Turkey backs Rebels", "Russia attacked Rebels"))
    assert pairs([c]) == [("Russia", "Turkey")] and c.kind == "proxy"
    assert c.adversarial[0].text() == "Russia attacked Rebels; Turkey backs Rebels"


def test_two_patrons_whose_clients_fight_are_a_proxy_conflict():
    """A backs X, B backs Y, X and Y fight."""
    (c,) = conflicts_of_interest(graph("Turkey cooperatesWith Russia", "Turkey backs Rebels",
                                       "Russia backs Militia", "Militia attacked Rebels"))
    (chain,) = c.adversarial
    assert chain.via == ("Militia", "Rebels")
    assert chain.text() == "Russia backs Militia; Militia attacked Rebels; Turkey backs Rebels"
    assert chain.weight == pytest.approx(0.25)


def test_a_proxy_is_an_armed_group_and_backing_a_state_is_patronage_shown_but_not_counted():
    """Russia backs Syria and Syria attacks Turkey: a client state, not a proxy."""
    assert conflicts_of_interest(graph("Turkey cooperatesWith Russia", "Russia backs Syria",
                                       "Syria attacked Turkey")) == []
    (c,) = conflicts_of_interest(graph("Turkey cooperatesWith Russia", "Russia backs Syria", "Syria attacked Turkey",
                                       "Russia opposes Turkey"))
    assert c.kind == "direct" and c.hostility == pytest.approx(1.0)
    (chain,) = c.patronage
    assert chain.kind == "patronage" and chain.via == ("Syria",)
    assert chain.text() == "Russia backs Syria; Syria attacked Turkey"
    assert c.to_dict()["patronage"][0]["via"] == ["Syria"]


@pytest.mark.parametrize("client", ["Government", "Warlord", "Syria"])
def test_only_armed_groups_make_proxy_chains(client):
    found = conflicts_of_interest(graph("Turkey cooperatesWith Russia", f"Russia backs {client}",
                                        f"Turkey attacked {client}", "Russia backs Militia", "Rebels attacked Militia",
                                        "Turkey backs Rebels", "Turkey backs Iran", "Iran attacked Militia"))
    (c,) = found
    assert [chain.via for chain in c.adversarial] == [("Militia", "Rebels")]
    assert sorted(chain.via for chain in c.patronage) == sorted([(client,), ("Iran", "Militia")[::-1]])


def test_direct_and_proxy_hostility_together_and_the_score_is_the_geometric_mean():
    (c,) = conflicts_of_interest(graph("Turkey cooperatesWith Russia", "Russia opposes Turkey",
                                       "Turkey backs Rebels", "Russia attacked Rebels", quotes=2))
    assert c.kind == "direct+proxy"
    assert c.cooperation == pytest.approx(2.0) and c.hostility == pytest.approx(2.0 + 1.0)
    assert c.score == pytest.approx((2.0 * 3.0) ** 0.5, abs=1e-6)


def test_pairs_are_ranked_by_score_and_agreements_and_regions_are_never_a_side():
    found = conflicts_of_interest(graph(
        "Turkey cooperatesWith Russia", "Russia opposes Turkey", "Turkey attacked Russia",
        "Iran cooperatesWith Syria", "Iran opposes Syria", "Rebels partyTo Deal"))
    assert pairs(found) == [("Russia", "Turkey"), ("Iran", "Syria")]
    assert [c.rank for c in found] == [1, 2] and found[0].score > found[1].score
    assert all("Deal" not in p and "Idlib" not in p for p in pairs(found))


def test_the_states_view_keeps_only_pairs_of_states_but_chains_still_pass_through_groups():
    g = graph("Turkey cooperatesWith Rebels", "Rebels attacked Turkey",
              "Turkey cooperatesWith Russia", "Russia backs Militia", "Militia attacked Turkey")
    assert pairs(conflicts_of_interest(g)) == [("Rebels", "Turkey"), ("Russia", "Turkey")]
    assert pairs(conflicts_of_interest(g, endpoints={"State"})) == [("Russia", "Turkey")]


def test_extracted_facts_weigh_by_confidence_and_curated_only_drops_them(mini):
    corpus = load_corpus(mini)
    actors = corpus.catalogue.actors
    extracted = Fact(actors["Turkey"], "opposes", actors["Russia"], "Turkey and Russia signed the Sochi agreement.",
                     "a", method="extracted", confidence=0.4)
    ds = build_dataset(corpus, [*corpus.facts, extracted])
    (c,) = conflicts_of_interest(network(ds, view="all"))
    direct = [chain for chain in c.adversarial if chain.kind == "direct"]
    assert direct[0].weight == pytest.approx(0.4)
    curated = conflicts_of_interest(network(ds, Projection(curated_only=True), view="all"))
    assert ("Russia", "Turkey") in pairs(curated)   # the strike on Failaq al-Sham is curated
    assert all(ch.kind == "proxy" for c in curated for ch in c.adversarial)


# --------------------------------------------------------------------------- the seed graph


@pytest.fixture(scope="module")
def seed_conflicts(seed_dataset):
    return conflicts_of_interest(network(seed_dataset, view="all"))


def quotes(chains, relation=None):
    return [e["quote"] for chain in chains for link in chain.links for e in link.evidence
            if relation is None or link.relation == relation]


def test_on_the_seed_articles_turkey_and_russia_are_the_top_conflict_of_interest(seed_conflicts):
    top = seed_conflicts[0]
    assert (top.a, top.b) == ("Russia", "Turkey") and top.rank == 1
    assert top.kind == "direct+proxy"
    assert top.score > seed_conflicts[1].score


def test_the_turkey_russia_cooperation_has_the_s400_purchase_joint_patrols_and_agreements(seed_conflicts):
    top = seed_conflicts[0]
    agreements = {chain.via[0] for chain in top.cooperative if chain.kind == "agreement"}
    assert {"S400Purchase", "IdlibCeasefire2020"} <= agreements
    assert any("S-400" in q for q in quotes(top.cooperative))
    assert any("joint patrols" in q for q in quotes(top.cooperative, "cooperatesWith"))
    assert all(link.statement.startswith("https://w3id.org/conflict-kg/statement/")
               for chain in top.cooperative for link in chain.links)


def test_the_turkey_russia_hostility_has_their_proxies_and_the_strike_on_failaq_al_sham(seed_conflicts):
    top = seed_conflicts[0]
    texts = [chain.text() for chain in top.adversarial]
    assert "Russia attacked FailaqAlSham; Turkey backs FailaqAlSham" in texts
    assert any("Turkey backs SyrianOpposition" in t for t in texts)                      # Turkish-backed rebels
    # Russia's backing of Assad's forces is patronage of a state: listed with the pair, not counted
    assert not any(t.startswith("Russia backs Syria;") for t in texts)
    assert "Russia backs Syria; Syria opposes Turkey" in [chain.text() for chain in top.patronage]
    strike = next(chain for chain in top.adversarial if chain.via == ("FailaqAlSham",))
    (attack,) = [link for link in strike.links if link.relation == "attacked"]
    assert attack.evidence[0]["date"] == "2020-10-26"
    assert "Failaq al-Sham" in attack.evidence[0]["quote"] and attack.evidence[0]["article"]


def test_on_the_seed_articles_every_proxy_is_an_armed_group(seed_dataset):
    g = network(seed_dataset, view="all")
    found = conflicts_of_interest(g)
    proxies = {n for c in found for chain in c.adversarial if chain.kind == "proxy" for n in chain.via}
    assert proxies and {g.nodes[n]["cls"] for n in proxies} == {"ArmedGroup"}
    clients = {n for c in found for chain in c.patronage for n in chain.via}
    assert "Syria" in clients and all(chain.kind == "patronage" for c in found for chain in c.patronage)


# --------------------------------------------------------------------------- the command


def test_kg_analyze_conflicts_prints_the_ranked_pairs_with_their_evidence(runner, seed_project):
    result = runner.invoke(cli, ["--root", str(seed_project), "analyze", "conflicts", "--top", "1"])
    assert result.exit_code == 0, result.output
    assert "1. Russia – Turkey" in result.output and "S-400" in result.output
    data = json.loads(runner.invoke(cli, ["--root", str(seed_project), "analyze", "conflicts", "--format", "json"]).output)
    assert data["conflicts"][0]["a"] == "Russia" and data["conflicts"][0]["b"] == "Turkey"
    assert "conflict of interest" in data["definition"]
    csv_out = runner.invoke(cli, ["--root", str(seed_project), "analyze", "conflicts", "--format", "csv", "--view", "states"]).output
    assert csv_out.splitlines()[1].startswith("1,Russia,Turkey,")


def test_kg_analyze_rejects_a_bad_date_or_relation_with_exit_2(runner, seed_project):
    from tests.test_cli import run

    code, _, err = run(runner, "--root", str(seed_project), "analyze", "conflicts", "--as-of", "2020-13-01")
    assert code == 2 and "--as-of" in err
    code, _, err = run(runner, "--root", str(seed_project), "analyze", "conflicts", "--relations", "befriends")
    assert code == 2 and "befriends" in err
