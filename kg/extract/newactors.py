"""Actors neither the catalogue nor the world gazetteer knows, proposed from the model's entities.

spaCy's NER finds names; the words of the name and the entity type give the
proposed class and a confidence that says how telling they are:

==========================================================  ============  ==========
entity                                                       class         confidence
==========================================================  ============  ==========
ORG with an armed-group word ("... Brigade", "Jaysh al-...")  ArmedGroup    0.75
ORG with a body word ("... Union", "... Council", "League")   Organization  0.6
other ORG                                                     ArmedGroup    0.4
PERSON                                                        Leader        0.5
GPE, LOC, FAC                                                 Region        0.6
EVENT, LAW with an agreement word ("... Agreement", "Accord") Agreement     0.75
==========================================================  ============  ==========

A proposal never merges with a look-alike ("Syrian National Army" beside "Libyan
National Army"): the look-alike is listed in ``similar`` for the curator.

>>> classify_span("ORG", "Sultan Murad Brigade")
('ArmedGroup', 0.75, 'armed-group name')
>>> classify_span("GPE", "Tal Abyad")
('Region', 0.6, 'place name')
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..inputs.catalogue import Actor, Catalogue, fold, local_name

PROPOSED = "proposed/"

_ARMED = re.compile(r"\b(?:Front|Brigades?|Army|Militias?|Division|Legion|Battalions?|Corps|Forces?|"
                    r"Movement|Units|Regiment|Guards?|Mobili[sz]ation|Resistance|Mujahideen|Jihad|Taliban|"
                    r"Shabaab|Ansar|Jaysh|Jaish|Jabhat|Liwa|Failaq|Faylaq|Harakat|Katiba|Kataib|Saraya|Ahrar|"
                    r"Hayat|Tahrir|Rebels?|Insurgents?|Militants?|Mercenar(?:y|ies)|Wagner|Islamic State|"
                    r"Defen[cs]e Forces?|Self-Defen[cs]e|Liberation|Revolutionary|Janjaweed|Peshmerga)\b")
_BODY = re.compile(r"\b(?:Union|Nations|Organi[sz]ation|League|Community|Commission|Council|Bank|Fund|"
                   r"Court|Agency|Committee|Assembly|Alliance|Coalition|Parliament|Congress|Mission|"
                   r"Cooperation|Group of|Secretariat|Office|Programme|Program|Institute)\b")
_STATE_BODY = re.compile(r"\b(?:Ministry|Department|Pentagon|Parliament|Senate|Congress|Cabinet|Party|"
                         r"University|Company|Corporation|Airways|Times|Post|News|Agency|Press|Bank|"
                         r"Institute|Institution|Centre|Center|Foundation|House|Forum|Observatory|Project|"
                         r"Programme|Program|Initiative|Review|Journal|Magazine|Television|Radio|Economist)\b")
#: news outlets and agencies: sources of claims, never actors
_OUTLET = re.compile(r"^(?:Reuters|AP|AFP|CNN|BBC|Al Jazeera|Al Arabiya|Anadolu|TASS|RIA Novosti|Interfax|Xinhua|"
                     r"Bloomberg|NPR|PBS|ABC|CBS|NBC|Fox News|Sky News|France 24|Deutsche Welle|DW|Euronews|"
                     r"The Economist|Economist|New York Times|Washington Post|Guardian|Financial Times|"
                     r"Wall Street Journal|Associated Press|Agence France-Presse|IRNA|SANA|Tasnim|Fars)$")
_AGREEMENT = re.compile(r"\b(?:Agreement|Accords?|Treaty|Deal|Ceasefire|Cease-fire|Truce|Pact|Protocol|"
                        r"Memorandum|Declaration|Process|Conference|Roadmap|Armistice|Plan)\b")
_NOT_A_NAME = re.compile(r"^(?:[A-Z][a-z]+day|January|February|March|April|May|June|July|August|September|"
                         r"October|November|December|Covid(?:-19)?|Coronavirus)$")


def is_proposed(actor: Actor) -> bool:
    """True for an actor the extractor proposed, which the catalogue does not hold."""
    return actor.id.startswith(PROPOSED)


@dataclass
class NewActor:
    """A proposed actor: what the text calls it, the class it seems to have and how sure we are."""

    label: str
    cls: str
    confidence: float
    mentions: list[str] = field(default_factory=list)
    rule: str = ""
    similar: list[str] = field(default_factory=list)

    @property
    def actor(self) -> Actor:
        return Actor(self.label, PROPOSED + local_name(self.label), self.cls,
                     description=f"proposed by the extractor ({self.rule})")


def classify_span(label: str, name: str, span=None) -> tuple[str, float, str] | None:
    """(class, confidence, rule) for an NER entity the gazetteer does not know, or None."""
    if not name or _NOT_A_NAME.match(name) or not any(c.isalpha() for c in name):
        return None
    if label == "PERSON":
        if len(name) < 3 or name.isupper() or not name[:1].isupper():
            return None
        return ("Leader", 0.5, "person name")
    if _OUTLET.match(name):
        return None
    if label == "ORG":
        if not name[:1].isupper() or (name.isupper() and " " in name):
            return None   # "navy"; a heading in capitals
        if " " not in name and re.search(r"(?:ian|an|ese|ish|i)$", name) and not name.isupper():
            return None   # a people's name the NER took for a body: "Oromo", "Balochi"
        if _AGREEMENT.search(name) and not _BODY.search(name):
            return ("Agreement", 0.6, "agreement name")
        if _ARMED.search(name):
            return ("ArmedGroup", 0.75, "armed-group name")
        if _STATE_BODY.search(name):
            return None
        if _BODY.search(name):
            return ("Organization", 0.6, "organization name")
        return ("ArmedGroup", 0.4, "organization acronym" if name.isupper() else "organization name")
    if label in {"GPE", "LOC", "FAC"}:
        if not name[:1].isupper():
            return None
        return ("Region", 0.6, "place name")
    if label in {"EVENT", "LAW"} and _AGREEMENT.search(name):
        return ("Agreement", 0.75, "agreement name")
    return None


def similar_labels(label: str, catalogue: Catalogue, n: int = 3) -> list[str]:
    """Known labels that look like ``label`` (sharing a word and close in spelling), for the curator."""
    key = id(catalogue)
    index = _NAME_CACHE.get(key)
    if index is None:
        index = {}
        for actor in catalogue.actors.values():
            for name in actor.names:
                for word in set(fold(name).split()):
                    if len(word) > 3:
                        index.setdefault(word, []).append((fold(name), actor.label))
        _NAME_CACHE.clear()
        _NAME_CACHE[key] = index
    target = fold(label)
    scored: dict[str, float] = {}
    for word in set(target.split()):
        for name, owner in index.get(word, ()):
            ratio = difflib.SequenceMatcher(None, target, name).ratio()
            if ratio >= 0.6 and owner != label:
                scored[owner] = max(scored.get(owner, 0), ratio)
    return [o for o, _ in sorted(scored.items(), key=lambda x: -x[1])[:n]]


_NAME_CACHE: dict[int, dict[str, list[tuple[str, str]]]] = {}
