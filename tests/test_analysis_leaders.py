"""A leader acts for what he leads: in the analyses his ties are his state's or group's ties."""

import networkx as nx
import pytest

from kg.analysis import Projection, network
from kg.analysis.conflicts import conflicts_of_interest
from kg.analysis.leaders import fold_leaders, led_by
from kg.analysis.results import analyse
from kg.built import BuiltGraph
from kg.network import sign_of

CLASSES = {"Russia": "State", "Turkey": "State", "Syria": "State", "Rebels": "ArmedGroup",
           "Party": "Organization", "Deal": "Agreement",
           "Putin": "Leader", "Erdogan": "Leader", "Envoy": "Leader"}


def graph(*facts: str) -> nx.MultiDiGraph:
    """A network as kg.network.read_network makes it, from "Subject relation Object [date]" strings."""
    g = nx.MultiDiGraph()
    for node, cls in CLASSES.items():
        g.add_node(node, cls=cls, label=node)
    for text in facts:
        s, p, o, *date = text.split()
        evidence = [{"quote": text, "article": "a", "date": date[0] if date else "", "method": "curated",
                     "confidence": 1.0}]
        g.add_edge(s, o, key=p, relation=p, sign=sign_of(p), statement=f"st/{s}.{p}.{o}", evidence=evidence,
                   weight=1, dates=[date[0]] if date else [], articles=["a"])
    return g


def edges(g) -> list[tuple[str, str, str]]:
    return sorted((u, v, d["relation"]) for u, v, d in g.edges(data=True))


LEADERS = ("Putin leaderOf Russia", "Erdogan leaderOf Turkey")


# --------------------------------------------------------------------------- the rule


def test_a_leader_of_one_actor_is_folded_into_it_and_his_ties_become_its_ties():
    h = fold_leaders(graph(*LEADERS, "Putin backs Erdogan", "Erdogan opposes Syria", "Putin partyTo Deal"))
    assert "Putin" not in h and "Erdogan" not in h
    assert h.graph["folded"] == {"Erdogan": "Turkey", "Putin": "Russia"}
    assert edges(h) == [("Russia", "Deal", "partyTo"), ("Russia", "Turkey", "backs"), ("Turkey", "Syria", "opposes")]
    backs = next(d for u, v, d in h.edges(data=True) if d["relation"] == "backs")
    assert backs["stated"] == ("Putin", "Erdogan") and backs["statement"] == "st/Putin.backs.Erdogan"
    assert backs["evidence"][0]["quote"] == "Putin backs Erdogan"     # the evidence chain is kept


def test_the_leadership_and_a_tie_between_a_leader_and_what_he_leads_are_dropped():
    h = fold_leaders(graph("Putin leaderOf Russia", "Putin opposes Russia", "Russia backs Rebels"))
    assert edges(h) == [("Russia", "Rebels", "backs")]


def test_a_leader_of_several_actors_or_of_none_stays_a_node():
    g = graph("Putin leaderOf Russia", "Putin leaderOf Party", "Envoy opposes Syria", "Putin backs Rebels")
    assert led_by(g) == {}
    h = fold_leaders(g)
    assert {"Putin", "Envoy"} <= set(h) and h.graph["folded"] == {}
    assert edges(h) == edges(g)


def test_a_leader_is_folded_into_an_armed_group_or_organization_too():
    assert led_by(graph("Erdogan leaderOf Rebels", "Putin leaderOf Party")) == {"Erdogan": "Rebels", "Putin": "Party"}


def test_the_tie_of_one_folded_leader_to_another_is_kept_next_to_the_states_own_ties():
    h = fold_leaders(graph(*LEADERS, "Russia cooperatesWith Turkey", "Erdogan cooperatesWith Putin"))
    assert edges(h) == [("Russia", "Turkey", "cooperatesWith"), ("Turkey", "Russia", "cooperatesWith")]


# --------------------------------------------------------------------------- in the analyses' projection


def test_the_analyses_fold_leaders_and_the_states_view_keeps_their_ties():
    g = graph(*LEADERS, "Putin backs Erdogan")
    assert edges(network(g, Projection(view="states"))) == [("Russia", "Turkey", "backs")]
    assert edges(network(g, Projection(view="states", relations=("backs",)))) == [("Russia", "Turkey", "backs")]
    kept = network(g, Projection(fold_leaders=False))
    assert "Putin" in kept and ("Putin", "Erdogan", "backs") in edges(kept)
    assert Projection(fold_leaders=False).describe().endswith("leaders=kept apart")


def test_leadership_is_read_in_the_date_window():
    """Putin is known to lead Russia from 2020 evidence: in a 2019 window he is himself."""
    g = graph("Putin leaderOf Russia 2020-03-05", "Putin backs Erdogan 2019-05", "Putin backs Erdogan2 2020-04")
    g.add_node("Erdogan2", cls="Leader", label="Erdogan2")
    assert ("Russia", "Erdogan2", "backs") in edges(network(g, Projection(start="2020")))
    assert ("Putin", "Erdogan", "backs") in edges(network(g, Projection(end="2019")))
    # the whole graph adds up every date, leadership too
    assert "Putin" not in network(g) and ("Russia", "Erdogan", "backs") in edges(network(g))


def test_a_leader_of_different_actors_at_different_dates_is_folded_into_each_in_its_window():
    g = graph("Envoy leaderOf Party 2015", "Envoy leaderOf Rebels 2020", "Envoy opposes Syria")
    assert "Envoy" in network(g)                                            # leads both: himself
    assert ("Party", "Syria", "opposes") in edges(network(g, Projection(end="2016")))
    assert ("Rebels", "Syria", "opposes") in edges(network(g, Projection(start="2019")))


def test_a_leader_and_his_state_are_never_a_conflict_of_interest():
    """The seed pattern: Putin backs Erdoğan, Erdoğan fights a group Russia backs."""
    facts = (*LEADERS, "Putin backs Erdogan", "Russia backs Rebels", "Erdogan attacked Rebels",
             "Putin partyTo Deal", "Russia partyTo Deal")
    apart = conflicts_of_interest(network(graph(*facts), Projection(fold_leaders=False), view="all"))
    assert apart == []      # kept apart, the two leaders' ties leave the two states' conflict unseen
    (c,) = conflicts_of_interest(network(graph(*facts), view="all"))
    assert (c.a, c.b, c.kind) == ("Russia", "Turkey", "proxy")
    assert [chain.text() for chain in c.cooperative] == ["Putin backs Erdogan (as Russia backs Turkey)"]
    assert c.adversarial[0].text() == "Russia backs Rebels; Erdogan attacked Rebels (as Turkey attacked Rebels)"
    assert c.cooperative[0].links[0].to_dict()["counted_as"] == ["Russia", "Turkey"]


def test_an_actor_and_what_it_leads_are_never_a_pair_even_when_the_leader_stays_a_node():
    g = graph("Putin leaderOf Russia", "Putin leaderOf Party", "Putin opposes Russia", "Putin opposes Party")
    assert conflicts_of_interest(network(g, view="all")) == []
    assert conflicts_of_interest(graph("Putin leaderOf Russia", "Putin opposes Russia")) == []


def test_a_folded_leader_is_in_the_bloc_of_what_he_leads():
    result = analyse(graph(*LEADERS, "Putin backs Erdogan", "Erdogan opposes Syria", "Russia backs Syria",
                           "Russia attacked Rebels", "Turkey backs Rebels"))
    assert result.balance.folded == {"Erdogan": ("Turkey", "Erdogan"), "Putin": ("Russia", "Putin")}
    assert result.balance.bloc_of("Putin") == result.balance.bloc_of("Russia")
    assert result.balance.bloc_of("Erdogan") == result.balance.bloc_of("Turkey")
    assert "Putin" not in result.scores()


# --------------------------------------------------------------------------- on the seed articles


@pytest.fixture(scope="module")
def seed_built(seed_dataset):
    return BuiltGraph.of(seed_dataset)


def leadership(g) -> set[tuple[str, str]]:
    return {(u, v) for u, v, d in g.edges(data=True) if d["relation"] == "leaderOf"}


def test_on_the_seeds_no_conflict_of_interest_pairs_a_leader_with_what_he_leads(seed_built):
    pairs = {(c.a, c.b) for c in seed_built.analysis.conflicts}
    led = leadership(seed_built.network)
    assert ("Russia", "VladimirPutin") in led or ("VladimirPutin", "Russia") in led
    assert not {p for p in pairs if p in led or p[::-1] in led}
    assert ("Russia", "VladimirPutin") not in pairs and ("RecepTayyipErdogan", "Russia") not in pairs
    assert not {n for pair in pairs for n in pair if seed_built.network.nodes[n]["cls"] == "Leader"
                and n in seed_built.analysis.balance.folded}


def test_on_the_seeds_putin_backing_erdogan_is_a_link_of_russia_and_turkey(seed_built):
    top = seed_built.analysis.conflicts[0]
    assert (top.a, top.b) == ("Russia", "Turkey")
    texts = [chain.text() for chain in top.cooperative]
    assert "VladimirPutin backs RecepTayyipErdogan (as Russia backs Turkey)" in texts
    assert any("/statement/" in link.statement and link.subject == "VladimirPutin"
               for chain in top.cooperative for link in chain.links)


def test_on_the_seeds_each_leader_is_in_his_states_bloc(seed_built):
    balance = seed_built.analysis.balance
    for leader, led in leadership(seed_built.network):
        assert leader in balance.folded or balance.bloc_of(leader) is None or \
            balance.bloc_of(leader) == balance.bloc_of(led), (leader, led)
    assert balance.folded["RecepTayyipErdogan"][0] == "Turkey" and balance.folded["VladimirPutin"][0] == "Russia"
    assert balance.bloc_of("RecepTayyipErdogan") == balance.bloc_of("Turkey") != balance.bloc_of("Russia")
    assert balance.bloc_of("VladimirPutin") == balance.bloc_of("Russia")
