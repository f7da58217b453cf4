"""Relations stated by a sentence: patterns over a template of its mentions.

Each sentence becomes a *template*: its folded words with every mention replaced
by a placeholder ``<3:S>`` (mention 3, a State; ``G`` armed group, ``L`` leader,
``O`` organization, ``A`` agreement, ``R`` region, ``a`` a bare adjective). The
relation patterns are regular expressions over that template, in the manner of
the dictionary-and-pattern event coders (PETRARCH/CAMEO), but each one keeps the
sentence it matched as the fact's quote.

First, *rewrites* read the modifiers that state a relation and fold them into
the mention they modify, so that they do not act as subject or object later:

- titles: "Turkish President <Erdogan>", "Kremlin spokesman <Peskov>",
  "<Kalin>, the presidential spokesman of <Turkey>"          -> leaderOf / memberOf
- markers: "<Turkish>-backed <rebels>", "<US>-backed", "<UN>-recognised",
  "<Turkish>-controlled part of <Idlib>", "anti-<Assad> <rebels>" -> backs / controls / opposes
- possessives: "<Turkey>'s proxies", "<Russia>'s <Hmeymim air base>",
  "<Venezuela>'s <Maduro>"                                   -> backs / controls / leaderOf
- "<nationalist forces> led by <Ataturk>"                     -> leaderOf

Then the patterns: verbs with their subject on the left and object on the right
("X backs/arms/funds Y", passives "Y, backed by X"), nominal patterns ("war between
X and Y", "ties between X and Y", "X's fight against Y"), appositions ("Russia, the
main backer of the Assad regime"), lists ("X, Y and Z signed A") and pairs
("they", "the two countries" for the last pair named).

A match is dropped when its words between subject and object negate or hedge it
(not, never, denies, could, would, if, threatened to, ...): a threat is not an
attack, and "the Kremlin denies any relationship to" the mercenaries is not
backing. A reported claim (accused, reportedly, blames) keeps a lower confidence.
Every fact must fit the ontology's class constraints (:func:`kg.facts.check_signature`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..catalogue import Actor
from ..facts import check_signature
from .mentions import Mention, fold_chars

CLASS_CODE = {"State": "S", "ArmedGroup": "G", "Leader": "L", "Organization": "O", "Agreement": "A",
              "Region": "R"}

E = r"<\d+:[SGLOAR]>"
EA = r"<\d+:[SGLOARa]>"
GROUP = rf"{E}(?: \({E}\))?(?:(?:, (?:and |or )?| and | or |,? as well as |,? along with ){E}(?: \({E}\))?)*"
_PH = re.compile(r"<(\d+):([SGLOARa])>")

NEGATION = re.compile(
    r"\b(?:not|never|no|nor|neither|without|denie[sd]|deny\w*|refrain\w*|fail\w* to|rather than|"
    r"instead of|refus\w*|reject\w*|stop\w*|halt\w*|end\w* (?:its|their)|ceased?|n't|cannot|"
    r"could|would|might|may|if|unless|whether|should|threat\w*|warn\w*|plan\w* to|intend\w*|"
    r"consider\w*|vow\w*|promis\w*|hop\w* to|seek\w* to|aim\w* to|tr(?:y|ies|ied|ying) to|"
    r"wants? to|urg\w*|ask\w* to|call\w* on|demand\w*|expect\w*|possible|possibly|potential\w*|"
    r"likely|unlikely|doubt\w*|fear\w*|ready to|prepar\w* to|about to|imminent\w*)\b|n't\b"
)
CLAIM = re.compile(r"\b(?:accus\w*|alleg\w*|claim\w*|blam\w*|reported\w*|report\w*|said to|"
                   r"suspect\w*|apparently|perceiv\w*|view\w* as|according to)\b")

HEAD_TITLES = (r"president|prime minister|premier|leader|king|emir|sultan|supreme leader|ruler|"
               r"strongman|dictator|head of state|counterpart|chairman")
MEMBER_TITLES = (r"(?:foreign|defen[cs]e|interior|economy|finance|energy|oil|deputy|prime|vice)? ?minister|"
                 r"(?:presidential |chief )?spokes(?:wo)?man|press secretary|(?:special )?envoy|ambassador|"
                 r"official|diplomat|general|gen\.|commander|chief of staff|adviser|advisor|"
                 r"intelligence chief|army chief|defen[cs]e chief|vice president|secretary")
ORG_HEAD = r"chief|head|director|commander|leader|founder|chairman|secretary-general"


@dataclass
class Hit:
    """A relation found in a sentence, before it becomes a :class:`kg.facts.Fact`."""

    subject: int
    relation: str
    object: int
    confidence: float
    rule: str
    context: str = ""


@dataclass
class State:
    """What the relation finder remembers across the sentences of one article."""

    leads: dict[str, Actor] = field(default_factory=dict)  # leader id -> the state/group they lead
    pair: tuple[Mention, Mention] | None = None             # the last two states named together
    leader_pair: tuple[Mention, Mention] | None = None


def template(text: str, start: int, mentions: list[Mention], folded: str | None = None) -> str:
    """The sentence's folded words with each mention replaced by ``<index:class>``."""
    folded = fold_chars(text) if folded is None else folded
    out, pos = [], 0
    for i, m in enumerate(mentions):
        a, b = m.start - start, m.end - start
        if a < pos:
            continue
        out.append(folded[pos:a])
        code = "a" if m.kind == "adjective" else CLASS_CODE[m.actor.cls]
        out.append(f"<{i}:{code}>")
        pos = b
    out.append(folded[pos:])
    return re.sub(r"\s+", " ", "".join(out).replace('"', " ")).strip()


def indices(text: str | None) -> list[int]:
    return [int(i) for i, _ in _PH.findall(text or "")]


# ---------------------------------------------------------------- rewrites


class Sentence:
    """One sentence under analysis: its mentions, template and the hits found so far."""

    def __init__(self, mentions: list[Mention], tmpl: str, state: State):
        self.mentions = mentions
        self.t = tmpl
        self.state = state
        self.hits: list[Hit] = []
        self.affiliation: dict[int, int] = {}  # leader mention -> the state mention it leads or serves

    def ph(self, i: int) -> str:
        m = self.mentions[i]
        code = "a" if m.kind == "adjective" else CLASS_CODE[m.actor.cls]
        return f"<{i}:{code}>"

    def actor(self, i: int) -> Actor:
        return self.mentions[i].actor

    def hit(self, s: int, rel: str, o: int, conf: float, rule: str, context: str = "") -> None:
        self.hits.append(Hit(s, rel, o, conf, rule, context))
        if rel in {"leaderOf", "memberOf"} and self.mentions[o].actor.cls == "State":
            self.affiliation.setdefault(s, o)

    def sub(self, pattern: str, fn) -> None:
        self.t = re.sub(r"\s+", " ", re.sub(pattern, fn, self.t)).strip()

    def add_mention(self, like: Mention, actor: Actor, kind: str = "force") -> int:
        self.mentions.append(Mention(like.start, like.end, like.text, actor, kind))
        return len(self.mentions) - 1


def _state_of(s: Sentence, i: int) -> Actor | None:
    """The state a mention's words point at: a state itself, or the adjective of one."""
    a = s.actor(i)
    return a if a.cls == "State" else None


def rewrite_titles(s: Sentence) -> None:
    """Titles before and after leaders: leaderOf and memberOf, then fold the title away."""

    def before(m: re.Match) -> str:
        org, leader, title = int(m["org"]), int(m["leader"]), m["title"].strip()
        org_actor = s.actor(org)
        if org_actor.cls == "State":
            if re.fullmatch(HEAD_TITLES, title):
                s.hit(leader, "leaderOf", org, 0.9, "title", m.group())
                s.state.leads[s.actor(leader).id] = org_actor
            else:
                s.hit(leader, "memberOf", org, 0.85, "title", m.group())
        elif re.fullmatch(ORG_HEAD, title) or re.fullmatch(HEAD_TITLES, title):
            s.hit(leader, "leaderOf", org, 0.85, "title", m.group())
            state = _leading_adjective_state(s, org)
            if state is not None:
                s.hit(leader, "memberOf", s.add_mention(s.mentions[org], state), 0.75, "title", m.group())
        else:
            s.hit(leader, "memberOf", org, 0.8, "title", m.group())
        return s.ph(leader)

    titles = rf"(?:{HEAD_TITLES}|{MEMBER_TITLES}|{ORG_HEAD})"
    s.sub(rf"(?:(?:his|her|its|their) )?<(?P<org>\d+):[aSOG]>(?:'s)? (?P<title>{titles}) "
          rf"(?:(?:mr|mrs|ms|dr)\.? )?<(?P<leader>\d+):L>", before)

    def after(m: re.Match) -> str:
        leader, title = int(m["leader"]), m["title"].strip()
        org = m["org1"] or m["org2"]
        if org is None:
            return m.group()
        org = int(org)
        if s.actor(org).cls == "State":
            rel = "leaderOf" if re.fullmatch(HEAD_TITLES, title) else "memberOf"
        else:
            rel = "leaderOf" if re.fullmatch(rf"{ORG_HEAD}|{HEAD_TITLES}", title) else "memberOf"
        s.hit(leader, rel, org, 0.8, "title-apposition", m.group())
        if s.actor(org).cls != "State":
            state = _leading_adjective_state(s, org)
            if state is not None:
                s.hit(leader, "memberOf", s.add_mention(s.mentions[org], state), 0.75, "title-apposition",
                      m.group())
        if rel == "leaderOf" and s.actor(org).cls == "State":
            s.state.leads[s.actor(leader).id] = s.actor(org)
        return m.group()

    s.sub(rf"<(?P<leader>\d+):L>, (?:the |a |an )?(?:<(?P<org1>\d+):[aSOG]>(?:'s)? )?(?:[a-z-]+ )?"
          rf"(?P<title>{titles})(?: (?:of|for|to) (?:the )?<(?P<org2>\d+):[SOG]>)?", after)


def _leading_adjective_state(s: Sentence, i: int) -> Actor | None:
    """The state whose adjective opens a mention's words ("Turkish intelligence" -> Turkey)."""
    first = s.mentions[i].text.split()[0] if s.mentions[i].text.split() else ""
    resolver = getattr(s.state, "adjectives", {})
    return resolver.get(fold_chars(first))


def rewrite_markers(s: Sentence, resolve_word) -> None:
    """'-backed', '-controlled', 'anti-' and friends, before or inside a mention."""

    def backed(m: re.Match) -> str:
        patron, client = int(m["p"]), int(m["c"])
        verb = m["v"]
        if verb == "made":
            # "Russian-made S-400": the seller, read like "Russia's S-400"
            state = s.actor(patron)
            if state.cls != "State":
                return m.group()
            return m["mid"].join(("", "")) + s.ph(s.add_mention(s.mentions[patron], state, "name")) + "'s " + \
                m["mid"].strip() + (" " if m["mid"].strip() else "") + s.ph(client)
        rel = {"controlled": "controls", "held": "controls", "run": "controls", "occupied": "controls",
               "made": "partyTo"}.get(verb, "backs")
        conf = 0.9 if rel == "backs" else 0.75
        if verb == "made":
            conf = 0.6
        s.hit(patron, rel, client, conf, f"-{verb}", m.group())
        return m["mid"] + s.ph(client)

    verbs = r"backed|supported|sponsored|funded|armed|trained|recognised|recognized|installed|" \
            r"controlled|held|run|occupied|made"
    s.sub(rf"<(?P<p>\d+):[aSGO]> ?-(?P<v>{verbs})(?P<mid>(?: [a-z,'-]+){{0,4}}? (?:(?:part|parts|areas?|"
          rf"territor\w+|regions?|zones?|swaths?) of (?:the )?)?)<(?P<c>\d+):[SGLOAR]>", backed)

    def word_marker(m: re.Match) -> str:
        actor = resolve_word(m["w"])
        if actor is None:
            return m.group()
        rel = "backs" if m["v"] in {"backed", "supported"} else "controls"
        obj = int(m["c"])
        i = s.add_mention(s.mentions[obj], actor, "name")
        s.hit(i, rel, obj, 0.8, f"word-{m['v']}", m.group())
        return s.ph(obj)

    s.sub(r"\b(?P<w>[a-z]+)-(?P<v>held|controlled|backed|supported) (?:(?:[a-z]+ ){0,2}(?:of|in) )?"
          r"(?:the )?<(?P<c>\d+):[SGLOAR]>", word_marker)

    def anti(m: re.Match) -> str:
        s.hit(int(m["g"]), "opposes", int(m["x"]), 0.85, "anti-", m.group())
        return m["mid"] + s.ph(int(m["g"]))

    s.sub(r"\banti-<(?P<x>\d+):[aSLGO]>(?P<mid>(?: [a-z]+){0,2} )<(?P<g>\d+):[SGO]>", anti)
    # modifiers that state no relation of ours: fold them into their head
    s.sub(r"(?:pro-)?<\d+:[aSGLO]>-(?:linked|affiliated|aligned|inspired|based|born|led)\b", "x")
    s.sub(r"\bpro-<\d+:[aSGLO]>", "pro-x")


def inner_markers(s: Sentence, i: int, gazetteer) -> None:
    """Markers inside the words of a single mention ("Turkey-backed armed groups", "anti-Assad forces")."""
    m = s.mentions[i]
    for match in re.finditer(r"-(backed|supported|recognised|recognized|installed)\b", m.text):
        for inner in gazetteer.find(m.text[: match.start()])[-1:]:
            if inner.actor.id != m.actor.id:
                j = s.add_mention(Mention(m.start, m.end, inner.text, inner.actor, "name"), inner.actor, "name")
                s.hit(j, "backs", i, 0.9, "-backed (in name)", m.text)
    for match in re.finditer(r"\banti-([\w’'-]+)", m.text):
        for inner in gazetteer.find(match.group(1)):
            if inner.actor.id != m.actor.id:
                j = s.add_mention(Mention(m.start, m.end, inner.text, inner.actor, "name"), inner.actor, "name")
                s.hit(i, "opposes", j, 0.85, "anti- (in name)", m.text)
    gov = re.search(r"\b(?:government|regime|administration) of (.+)$", m.text)
    if gov and m.actor.cls == "State":
        for inner in gazetteer.find(gov.group(1))[-1:]:
            if inner.actor.cls == "Leader":
                j = s.add_mention(Mention(m.start, m.end, inner.text, inner.actor, "name"), inner.actor, "name")
                s.hit(j, "leaderOf", i, 0.85, "government of (in name)", m.text)
                s.state.leads[inner.actor.id] = m.actor


def rewrite_appositions(s: Sentence) -> None:
    """'HTS, a former al-Qaeda affiliate that controls ...': the relative clause belongs to HTS."""
    s.sub(r"(?P<head><\d+:[GOSL]>(?: \(<\d+:[GOSL]>\))?), (?:a|an|the) (?:[a-z-]+ ){0,3}<\d+:[aSGO]>"
          r"(?:-[a-z]+)? (?:[a-z-]+ ){0,2}?(?P<rel>that|which|who)\b", r"\g<head> \g<rel>")

    def counterpart(m: re.Match) -> str:
        me, other = int(m["me"]), int(m["other"])
        mine = s.affiliation.get(me)
        if mine is not None:
            s.hit(mine, "cooperatesWith", other, 0.7, "met his counterpart", m.group())
        return f"{s.ph(me)} met a counterpart"

    s.sub(r"<(?P<me>\d+):L> (?:met|meets|meeting|spoke to|spoke with|talked to|called|phoned|held talks with) "
          r"(?:his|her) <(?P<other>\d+):[aS]> (?:[a-z]+ )?counterpart", counterpart)


def rewrite_purchases(s: Sentence) -> None:
    """'Turkey purchased Russia's S-400', 'a Turkish purchase of Russian anti-aircraft systems'."""

    def purchase(m: re.Match) -> str:
        buyer = int(m["x"])
        seller = m["s"]
        deal = m["a"]
        if seller is not None:
            seller = int(seller)
            if s.actor(seller).cls == "State" and s.actor(seller).id != s.actor(buyer).id:
                s.hit(buyer, "cooperatesWith", seller, 0.7, "purchase from", m.group())
                if deal is not None:
                    s.hit(seller, "partyTo", int(deal), 0.7, "purchase from", m.group())
        if deal is not None:
            s.hit(buyer, "partyTo", int(deal), 0.75, "purchase", m.group())
        return m.group()

    s.sub(SUBJ + r"<(?P<x>\d+):[aSL]>(?P<gap>(?:(?!, | - )[^<>;]){0,40}?)\b(?:purchas\w*|bought|buy\w*|acquir\w*)"
          r"(?: of)? (?:the |a |an )?(?:[a-z-]+ ){0,2}?(?:<(?P<s>\d+):[aS]>(?:'s?)? (?:made )?)?"
          r"(?:[a-z-]+ ){0,3}?(?:<(?P<a>\d+):A>|(?:[a-z-]+ )?(?:systems?|missiles?|jets|weapons|arms|drones|"
          r"aircraft|batteries)\b)", purchase)

    def allies(m: re.Match) -> str:
        s.hit(int(m["x"]), "memberOf", int(m["o"]), 0.65, "its O allies", m.group())
        return m.group()

    s.sub(r"<(?P<x>\d+):[S]>(?:(?!, | - )[^<>;]){0,80}?\b(?:its|their) <(?P<o>\d+):O> "
          r"(?:allies|partners|fellow members|membership)\b", allies)


def rewrite_strongholds(s: Sentence, resolve_word) -> None:
    """'Idlib, the last rebel foothold': the holders of a stronghold control it."""

    def hold(m: re.Match) -> str:
        holder = resolve_word(m["w"])
        if holder is not None:
            i = s.add_mention(s.mentions[int(m["r"])], holder, "name")
            s.hit(i, "controls", int(m["r"]), 0.75, "last stronghold", m.group())
        return m.group()

    s.sub(r"<(?P<r>\d+):R>,? (?:the |syria's )?(?:last|main|final|largest|remaining|key) (?:remaining )?"
          r"(?P<w>[a-z]+)(?:-held)? (?:foothold|stronghold|bastion|enclave|bulwark|redoubt|holdout)\b", hold)


def inherit_backers(s: Sentence) -> None:
    """'Failaq al-Sham, one of the largest Turkey-backed armed groups': the patrons back the member too."""
    patrons: dict[int, list[int]] = {}
    for h in s.hits:
        if h.relation == "backs" and h.rule.startswith("-backed"):
            patrons.setdefault(h.object, []).append(h.subject)
    for m in re.finditer(r"<(?P<x>\d+):G>(?: \(<\d+:G>\))?, (?:one of the|among the|one of|a|an) "
                         r"(?:[a-z-]+ ){0,3}<(?P<o>\d+):G>", s.t):
        for patron in patrons.get(int(m["o"]), []):
            s.hit(patron, "backs", int(m["x"]), 0.8, "one of the X-backed groups", m.group())


def rewrite_possessives(s: Sentence) -> None:
    def poss(m: re.Match) -> str:
        owner, thing, noun = int(m["o"]), int(m["t"]), (m["n"] or "").strip()
        cls = s.actor(thing).cls
        if not noun and re.search(r"prox|client", s.mentions[thing].text.lower()):
            noun = "proxies"
        if re.search(r"prox|client", noun):
            s.hit(owner, "backs", thing, 0.85, "'s proxy", m.group())
        elif re.search(r"all(?:y|ies)", noun):
            s.hit(owner, "alliedWith", thing, 0.8, "'s ally", m.group())
        elif noun:
            return m.group()
        elif cls == "Region" and re.search(r"\b(?:base|airport|port|post|camp|airfield)s?\b",
                                           " ".join(fold_chars(n) for n in s.actor(thing).names)):
            s.hit(owner, "controls", thing, 0.7, "'s base", m.group())
            s.hit(owner, "operatesIn", thing, 0.7, "'s base", m.group())
        elif cls == "Leader" and s.actor(owner).cls == "State":
            s.hit(thing, "leaderOf", owner, 0.75, "'s leader", m.group())
            s.state.leads[s.actor(thing).id] = s.actor(owner)
        elif cls == "Agreement":
            s.hit(owner, "partyTo", thing, 0.6, "'s agreement", m.group())
        return m["pre"] + s.ph(thing)

    s.sub(r"(?P<pre>(?:\bthe )?)<(?P<o>\d+):[SGO]>'s? (?P<n>(?:(?:closest|main|key|staunchest|"
          r"close|chief|[a-z]+) )?(?:proxy|proxies|client|clients|ally|allies) )?<(?P<t>\d+):[SGLOAR]>", poss)

    def leader_group(m: re.Match) -> str:
        s.hit(int(m["l"]), "leaderOf", int(m["g"]), 0.75, "leader's group", m.group())
        return s.ph(int(m["g"]))

    s.sub(r"<(?P<l>\d+):L>'s? <(?P<g>\d+):[GO]>", leader_group)

    def leader_gov(m: re.Match) -> str:
        leader = int(m["l"])
        state = s.state.leads.get(s.actor(leader).id)
        if state is None or state.cls != "State":
            return m.group()
        return s.ph(s.add_mention(s.mentions[leader], state, "force"))

    s.sub(r"<(?P<l>\d+):L>'s? (?:regime|government|forces|troops|army|military|administration)\b",
          leader_gov)

    def led_by(m: re.Match) -> str:
        s.hit(int(m["l"]), "leaderOf", int(m["g"]), 0.85, "led by", m.group())
        return s.ph(int(m["g"]))

    s.sub(r"<(?P<g>\d+):[SGO]>,? (?:which is |who are |that is )?(?:led|headed|commanded) by "
          r"(?:[a-z]+ ){0,2}<(?P<l>\d+):L>", led_by)


# ---------------------------------------------------------------- patterns


@dataclass(frozen=True)
class Pattern:
    relation: str
    regex: re.Pattern
    confidence: float
    name: str
    reverse: bool = False       # the object group comes first in the text
    pairwise: bool = False      # every pair inside group X
    check: bool = True          # look for negation and hedges in the match
    edges: tuple[tuple[str, str, str], ...] = ()  # more relations between named groups (X, Y, Z)


#: a relative clause after the subject: enclosed (", who fears ..., has") or opening (", which is backed by")
_REL = (r"(?:(?:,| -) (?:which|who)\b(?:[^<>;,]|<\d+:[SGLOAR]>){0,100}?(?:,| -) |"
        r"(?:,| -)? (?:which|who|that)\b)?")
_WORDS = r"(?:(?!, | - |\(|\[)(?:[^<>;]|<\d+:R>))"
GAP = rf"(?P<gap>(?: in (?:the )?<\d+:R>)?{_REL}{_WORDS}{{0,60}}?)"
GAP_LONG = rf"(?P<gap>(?: in (?:the )?<\d+:R>)?{_REL}(?:(?! - |\(|\[)(?:[^<>;]|<\d+:R>)){{0,100}}?)"
#: between a passive's subject and its verb: ", which is", " - backed by"
PGAP = (r"(?P<gap>(?: in (?:the )?<\d+:R>)?(?:,| -)? ?(?:(?:which|who|that) )?(?:is |are |was |were |has been |"
        r"have been |had been |being |been )?(?:also |reportedly |allegedly |largely |mostly |heavily |openly |"
        r"all |now |still |long |both )*)")
#: between a verb and its object: a few words, none of them a preposition or conjunction
_NOT_PREP = r"(?!(?:in|on|at|from|with|by|for|over|during|after|before|since|as|than|that|which|who|while|" \
            r"when|and|but|or|of|into|across|alongside|against|about|under|through|toward|towards|" \
            r"to|because|if)\b)"
GAP2 = rf"(?P<gap2>(?: {_NOT_PREP}(?:[\w'$-]+|mr\.|mrs\.|dr\.),?){{0,3}} ?| )"
#: "the regimes of", "the forces of" before an object
OBJ_OF = r"(?:(?:the )?(?:regimes?|governments?|forces|troops|positions?|rule|hold on power|grip on power) of " \
         r"(?:the )?)?"
#: a subject is not the object of a preposition ("his commitment to Putin by purchasing ...")
SUBJ = r"(?<!\bto )(?<!\bwith )(?<!\bby )(?<!\bfor )(?<!\bfrom )(?<!\bagainst )(?<!\bon )"
NUM = r"(?:(?:a |an |the )?(?:[a-z-]+ ){0,2}(?:training )?(?:camp|base|positions?|posts?|convoy|headquarters|"\
      r"depot|bases|camps) (?:of|for|belonging to) |(?:at least |some |more than |over |dozens of |hundreds of |thousands of |scores of |"\
      r"[\d,]+ |a number of |several |two |three |four |five |six |seven |eight |nine |ten |"\
      r"the |its |their |an? )*(?:" + _NOT_PREP + r"[a-z-]+ )?(?:of )?)"


def _p(relation, rx, conf, name, **kw) -> Pattern:
    rx = rx.replace("{SX}", rf"{SUBJ}(?P<X>{GROUP})")
    rx = rx.replace("{X}", rf"(?P<X>{GROUP})").replace("{Y}", rf"(?P<Y>{GROUP})").replace("{Z}", rf"(?P<Z>{GROUP})")
    rx = rx.replace("{GAP}", GAP).replace("{GAP_LONG}", GAP_LONG).replace("{GAP2}", GAP2 + OBJ_OF)
    rx = rx.replace("{PGAP}", PGAP)
    rx = rx.replace("{NUM}", NUM)
    return Pattern(relation, re.compile(rx), conf, name, **kw)


BACK_VERBS = r"(?:backs|backed|backing|support|supports|supported|supporting|arm|arms|armed|" \
             r"arming|fund|funds|funded|funding|finance[sd]?|financing|sponsor(?:s|ed|ing)?|help|helps|" \
             r"helped|helping|assist(?:s|ed|ing)?|aid(?:s|ed|ing)?|bolster(?:s|ed|ing)?|prop(?:s|ped|ping) up|" \
             r"protect(?:s|ed|ing)?|train(?:s|ed|ing)?|equip(?:s|ped|ping)?|sen[dt]s? (?:\w+ ){0,3}to help|" \
             r"provid(?:e|es|ed|ing) (?:[\w-]+ ){0,5}(?:to|for))"
ATTACK_VERBS = r"(?:attack(?:s|ed|ing)?|struck|strikes?|striking|hit|hits|hitting|shell(?:s|ed|ing)|" \
               r"bomb(?:s|ed|ing)|bombard(?:s|ed|ing)|pound(?:s|ed|ing)|target(?:s|ed|ing)|" \
               r"kill(?:s|ed|ing)|shot down|shoot(?:s|ing)? down|down(?:s|ed|ing)|took out|take out|" \
               r"takes out|destroy(?:s|ed|ing)|raid(?:s|ed|ing)|ambush(?:es|ed|ing)|punish(?:es|ed|ing)?|" \
               r"retaliat(?:e|es|ed|ing) against|inflict(?:s|ed|ing)? (?:heavy )?(?:losses|casualties) on|" \
               r"fired (?:[\w,-]+ ){0,6}at|launch(?:es|ed|ing)? (?:[\w-]+ ){0,3}(?:attacks?|strikes?|" \
               r"offensive|assault|raids?) (?:on|against)|invad(?:e|es|ed|ing)|wound(?:s|ed|ing))"
OPPOSE_VERBS = r"(?:fight(?:s|ing)?|fought|battl(?:e|es|ed|ing)|clash(?:es|ed|ing)? with|" \
               r"at war with|oppos(?:e|es|ed|ing)|hostile to|confront(?:s|ed|ing)?|combat(?:s|ed|ing)?|" \
               r"weaken(?:s|ed|ing)?|prevent(?:s|ed|ing)?|defeat(?:s|ed|ing)?|crush(?:es|ed|ing)?|" \
               r"(?:drive|drove|driving|push(?:es|ed|ing)?) out|antagoniz(?:e|es|ed|ing)|" \
               r"(?:fight|war|struggle|campaign|battle|offensive) against|sanction(?:s|ed|ing)?)"
COOP_VERBS = r"(?:cooperat\w*|co-operat\w*|coordinat\w*|work(?:s|ed|ing)? (?:together |closely )?with|" \
             r"partner(?:s|ed|ing)? with|negotiat(?:e|es|ed|ing) with|negotiations with|talks with|" \
             r"ties with|relations with|deal with|agreement with|met(?: with)?|meets(?: with)?|" \
             r"meeting with|alongside|pays?|paid|paying|sold (?:[\w-]+ ){0,4}to|sell(?:s|ing)? (?:[\w-]+ ){0,4}to|" \
             r"(?:purchas|buy|bought)\w* (?:[\w-]+ ){0,4}from)"
ALLY_VERBS = r"(?:allied with|allies with|ally with|sid(?:e|es|ed|ing) with|aligned with|on the side of)"
PARTY_VERBS = r"(?:sign(?:s|ed|ing)?|agree(?:s|d)?(?: on| to)?|conclud(?:e|es|ed|ing)|negotiat(?:e|es|ed|ing)|" \
              r"broker(?:s|ed|ing)?|declar(?:e|es|ed|ing)|adopt(?:s|ed|ing)?|reach(?:es|ed|ing)?|" \
              r"struck|join(?:s|ed|ing)?|ratif(?:y|ies|ied|ying)|called for|violat(?:e|es|ed|ing)|" \
              r"breach(?:es|ed|ing)?|break(?:s|ing)?|broke|reneged on|abid(?:e|es|ed|ing) by|" \
              r"withdr[ae]w\w* from|committed to|part of|under the terms of|the terms of|" \
              r"purchas(?:e|es|ed|ing)|bought|buy(?:s|ing)?|in accordance (?:to|with)|as part of)"
OPERATE_VERBS = r"(?:deploy(?:s|ed|ing)?|poured|pour(?:s|ing)? into|mov(?:e|es|ed|ing) into|entered|" \
                r"advanc(?:e|es|ed|ing)|maintain(?:s|ed|ing)?|station(?:s|ed)?|based|present|presence|" \
                r"patrol(?:s|led|ling)?|operat(?:e|es|ed|ing)|fight(?:s|ing)?|fought|clash(?:es|ed|ing)?|" \
                r"involved|active|interven(?:e|es|ed|ing)|intervention|offensive|operations?|" \
                r"flexing its muscles|expand(?:s|ed|ing)? (?:[\w-]+ ){0,4}(?:presence|reach)|troops|" \
                r"forces|(?:are|is|were|was) in)(?:[^<>;]{0,80}? including)?"
CONTROL_VERBS = r"(?<!-)(?:control(?:s|led|ling)?|hold(?:s|ing)?|held|seiz(?:e|es|ed|ing)|captur(?:e|es|ed|ing)|" \
                r"recaptur(?:e|es|ed|ing)|retook|retak(?:e|es|ing)|recover(?:s|ed|ing)?|" \
                r"took control of|rul(?:e|es|ed|ing)|occup(?:y|ies|ied|ying)|annex(?:es|ed|ing)?)"

PATTERNS: list[Pattern] = [
    # patron and proxy
    _p("backs", r"{SX}{GAP}(?<!-)\b" + BACK_VERBS + r"\b{GAP2}{Y}", 0.8, "X backs Y"),
    _p("backs", r"{Y}{PGAP}\b(?:backed|supported|armed|funded|sponsored|financed|aided|sent|installed|"
       r"recognised|recognized|protected|trained|helped|bolstered) by (?:its |their |the )?"
       r"(?:ally |allies |patron |key |main )?{X}", 0.85, "Y backed by X", reverse=True),
    _p("backs", r"{Y}{GAP}\b(?:has|have|had|enjoys?|enjoyed|with|gets|got|received?) the (?:[a-z]+ )?"
       r"(?:backing|support) of {X}", 0.85, "Y has the backing of X"),
    _p("backs", r"{X}{GAP}\b(?:its |their )?(?:[a-z]+ )?(?:support|backing|aid|weapons|arms|funding) "
       r"(?:for|to) {Y}", 0.8, "X support for Y"),
    _p("backs", r"{X}(?:,| -| \() (?:the |a |an |its )?(?:[a-z-]+ ){0,2}(?:backer|patron|sponsor|"
       r"supporter|benefactor)s? of (?:the )?{Y}", 0.85, "X, the backer of Y"),
    _p("backs", r"{Y}(?:,| -) (?:the |a |an |its )?(?:[a-z-]+ ){0,2}(?:proxy|proxies|client|clients) "
       r"of (?:the )?{X}", 0.8, "Y, the proxy of X"),
    _p("backs", r"{SX}{GAP}(?:to fight|fighting) on behalf of (?:the )?{Y}", 0.7, "X fights on behalf of Y"),
    _p("backs", r"{Y}{GAP}\b(?:sent|dispatched|deployed|transferred|recruited) by {X}(?P<gap2>[^<>;]{0,40}?)"
       r"\bto fight (?:on behalf of|for|alongside|with) (?:the )?{Z}", 0.75, "Y sent by X to fight for Z",
       reverse=True, edges=(("backs", "Y", "Z"), ("backs", "X", "Z"))),
    # leadership
    _p("leaderOf", r"{X}{GAP}\b(?:leads|led|heads|headed|commands|commanded|rules|ruled|leader of|"
       r"head of|president of)\b{GAP2}{Y}", 0.75, "X leads Y"),
    # alliances
    _p("alliedWith", r"{X}{GAP}\b" + ALLY_VERBS + r"\b{GAP2}{Y}", 0.8, "X allied with Y"),
    _p("alliedWith", r"{X}(?:,| -| \() (?:the |a |an |its )?(?:[a-z-]+ ){0,2}(?:ally|allies|partner) "
       r"of (?:the )?{Y}", 0.85, "X, an ally of Y"),
    _p("alliedWith", r"{Y}{PGAP}\b(?:backed|supported) by (?:its |their )?(?:ally|allies) {X}", 0.8,
       "Y backed by ally X", reverse=True),
    _p("alliedWith", r"{X} and (?:his|her|its|their) (?:[a-z]+ )?(?:allies|ally|partners?) in {Y}", 0.75,
       "X and its allies in Y"),
    _p("alliedWith", r"\b(?:alliance|allies|alignment) between {X}", 0.8, "alliance between X and Y",
       pairwise=True),
    _p("alliedWith", r"{X}-{Y} (?:alliance|axis)", 0.8, "X-Y alliance"),
    # cooperation
    _p("cooperatesWith", r"{SX}{GAP}\b" + COOP_VERBS + r"\b{GAP2}{Y}", 0.7, "X cooperates with Y"),
    _p("cooperatesWith", r"\b(?:ties|cooperation|co-operation|coordination|partnership|rapprochement|"
       r"calls|meetings?|talks|contacts|understanding|dialogue|cooperating|negotiations|impression of "
       r"cooperation) between {X}", 0.7, "cooperation between X and Y", pairwise=True),
    _p("cooperatesWith", r"{X}-{Y} (?:ties|cooperation|talks|partnership|rapprochement|deal)", 0.7,
       "X-Y cooperation"),
    _p("cooperatesWith", r"{X}{GAP}\b(?:jointly|together|joint patrols?|joint|each other's|in tandem|"
       r"agreed|brokered|negotiated|signed|cooperat\w*|co-operat\w*|coordinat\w*|reached|struck|"
       r"met|held talks|patrol\w*)\b", 0.75, "X and Y jointly", pairwise=True),
    # hostility
    _p("opposes", r"{SX}{GAP}\b" + OPPOSE_VERBS + r"\b{GAP2}{Y}", 0.7, "X opposes Y"),
    _p("opposes", r"\b(?:war|conflict|clash|clashes|fighting|confrontation|hostilities|tensions|rivalry|"
       r"showdown|standoff|stand-off|enmity|animosity|battle) between {X}", 0.8, "war between X and Y",
       pairwise=True),
    _p("opposes", r"{X}{GAP}\b(?:at loggerheads|at odds|in (?:direct |open )?(?:conflict|confrontation)|"
       r"clash(?:ed|ing)?|fought|fight each other|(?:on|backed|back|backing|support|supporting|"
       r"supported) (?:the )?(?:opposing|opposite|rival|either|different) (?:sides?|factions|camps)|"
       r"on either side|heading towards a (?:[a-z]+ )?confrontation|towards a (?:[a-z]+ )?confrontation)\b",
       0.75, "X and Y at odds", pairwise=True),
    _p("opposes", r"{X}{GAP}\bthreat\w* to (?:[\w-]+ ){0,2}(?:attack|strike|hit|bomb|invade|target|punish|"
       r"retaliate against|escalate (?:[\w-]+ )?attacks? (?:on|against))\w* {Y}", 0.6, "X threatens Y",
       check=False),
    _p("opposes", r"{X}{GAP}\bin (?:its|their|his) (?:fight|war|struggle|battle|campaign) against {Y}"
       r"(?: in (?:the )?(?:[a-z-]+ )?{Z})?", 0.8, "X in its fight against Y",
       edges=(("operatesIn", "X", "Z"), ("operatesIn", "Y", "Z"))),
    _p("opposes", r"{X}(?:,| -) (?:the |a |an |its )?(?:[a-z-]+ ){0,2}(?:enemy|enemies|foe|foes|rival|"
       r"rivals|adversary|opponent|opponents) of (?:the )?{Y}", 0.8, "X, the enemy of Y"),
    # attacks
    _p("attacked", r"{SX}{GAP_LONG}\b" + ATTACK_VERBS + r"\b {NUM}{Y}", 0.75, "X attacked Y"),
    _p("attacked", r"\b(?:shelling|strikes?|air ?strikes?|attacks?|bombardment|bombing|raids?|offensive|"
       r"fire|assault) by {X}{GAP}\b(?:killed|hit|struck|targeted|wounded|destroyed) {NUM}{Y}", 0.8,
       "attack by X killed Y"),
    _p("attacked", r"{Y}{GAP}\b(?:were|was|have been|has been|had been|being|been) (?:[a-z]+ )?"
       r"(?:killed|attacked|targeted|hit|struck|shelled|bombed|shot down|wounded|downed) "
       r"(?:in|by) (?:an? |the )?(?:[a-z-]+ ){0,2}{X}", 0.75, "Y killed by X", reverse=True),
    _p("attacked", r"(?P<Y>(?:<\d+:[SGO]>(?:(?!\b(?:by|in)\b)[^<>;.]){0,40}?){2,6})(?P<gap>)\b(?:were|was|have been|"
       r"has been|had been) (?:[a-z]+ )?(?:killed|attacked|targeted|hit|struck|shelled|bombed|wounded) "
       r"(?:in|by) (?:an? |the )?(?:[a-z-]+ ){0,2}{X}", 0.7, "list killed by X", reverse=True),
    _p("attacked", r"{Y}{GAP}\b(?:were|was|have been|has been|had been) (?:[a-z]+ )?(?:killed|hit|"
       r"wounded) in an? (?:[a-z-]+ )?(?:air ?strike|attack|strike|shelling|bombing) (?:that )?"
       r"<\d+:[SGLOAR]> (?:blames|blamed|blame) on {X}", 0.75, "killed in a strike blamed on X",
       reverse=True),
    _p("attacked", r"{X} (?:[a-z]+ )?(?:attacks?|strikes?|assault|raids?|offensive|bombardment|shelling|"
       r"hit) (?:on|against) {NUM}{Y}", 0.75, "X's attack on Y"),
    # agreements
    _p("partyTo", r"{SX}{GAP}\b" + PARTY_VERBS + r"\b{GAP2}{Y}", 0.75, "X signed A"),
    _p("partyTo", r"{Y}{PGAP}\b(?:signed|agreed(?: on)?|"
       r"brokered|negotiated|concluded|reached|struck) (?:on )?by {X}", 0.85, "A signed by X", reverse=True),
    _p("partyTo", r"{Y}(?: [a-z-]+){0,2} between {X}", 0.8, "A between X and Y", reverse=True),
    _p("partyTo", r"\bat {Y}, {X}", 0.6, "at A, X", reverse=True),
    _p("partyTo", r"{Y}(?:,)? (?:that|which) (?:has |had )?(?:saw|sees|seen|required|requires|allowed|"
       r"allows|obliges|committed|commits|gave|gives|let|lets) {X}(?: (?:[a-z]+ ){1,2}{Z})?", 0.7,
       "A that saw X", reverse=True, edges=(("partyTo", "Z", "Y"),)),
    # membership
    _p("memberOf", r"{Y} (?:members?|member states?|ally|allies) {X}", 0.85, "O member X", reverse=True),
    _p("memberOf", r"{X}(?:,| -| \() (?:the |a |an |its )?(?:[a-z-]+ ){0,2}(?:member|members|part|"
       r"faction|factions|component|affiliate|wing) of (?:the )?{Y}", 0.8, "X, a member of O"),
    _p("memberOf", r"{X}{GAP}\b(?:joined|is a member of|are members of|belongs? to|is part of|"
       r"are part of)\b{GAP2}{Y}", 0.8, "X joined O"),
    _p("memberOf", r"{Y}{GAP}\b(?:includes|included|including|comprises|comprising|consists of|"
       r"brings together)\b{GAP2}{X}", 0.75, "O includes X", reverse=True),
    _p("memberOf", r"{X}, one of the (?:[a-z-]+ ){0,4}{Y}(?![-\w])", 0.75, "X, one of the O"),
    _p("memberOf", r"{X}(?:,| -) (?:a|an|the) (?:fellow )?{Y} (?:member|member state|ally)\b", 0.8, "X, a O member"),
    _p("memberOf", r"{Y}{GAP_LONG}, one of the (?:[a-z-]+ ){0,3}of which (?:is|was) (?:the )?"
       r"(?:[a-z-]+ )?{X}", 0.75, "O, one of which is X", reverse=True),
    # territory
    _p("operatesIn", r"{SX}{GAP}\b" + OPERATE_VERBS + r"\b(?: [\w-]+){0,4}? (?:in|into|across|on|around|"
       r"near|along|over|inside|throughout|at) (?:the )?(?:[a-z-]+ )?(?:of )?{Y}", 0.7, "X operates in R"),
    _p("operatesIn", r"{Y}(?: [a-z]+ <\d+:R>)?, where {X}{GAP}\b(?:maintains?|has|have|holds?|deployed|"
       r"conducted|patrol\w*|operat\w*|stationed|based|fight\w*|fought|is|are|was|were)\b", 0.7,
       "R, where X operates", reverse=True),
    _p("operatesIn", r"{X}{GAP}\buses? (?:[a-z-]+ ){0,4}(?:of )?{Y} as a base", 0.75, "X uses R as a base"),
    _p("operatesIn", r"{X} (?:in|inside|across) {Y}", 0.55, "X in R"),
    _p("controls", r"{SX}{GAP}\b" + CONTROL_VERBS + r"\b (?:[\w-]+ ){0,4}?(?:of )?(?:the )?{Y}", 0.75,
       "X controls R"),
    _p("controls", r"{Y}(?:,? (?:which|that) (?:is|are|was|were|remains?) (?:now |still |largely |mostly )?| "
       r"(?:is|are|was|were|remains?) (?:now |still |largely |mostly )?| )(?P<gap>)(?:under|in) (?:the )?"
       r"{X}(?:'s?)? (?:control|rule|hands)", 0.8,
       "R under X's control", reverse=True),
    _p("controls", r"\bced(?:e|es|ed|ing) (?:[a-z-]+ ){0,4}(?:of )?(?:the )?{Y} to {X}", 0.75,
       "ceding R to X", reverse=True),
    _p("controls", r"{X}{GAP_LONG}\b(?:its|their) (?:[a-z-]+ )?(?:controlled territor\w+|territor\w+ "
       r"under (?:its|their) control)(?: [a-z]+){0,2} in {Y}", 0.7, "X's controlled territories in R"),
]

_PAIR_WORDS = re.compile(r"\b(?:they|the two (?:countries|states|sides|leaders|presidents|men|powers)|"
                         r"both (?:countries|sides|leaders|states|powers)|the countries|both)\b")


def find_hits(s: Sentence) -> None:
    """Run every pattern over the sentence's template (and its variant without asides)."""
    if len(_PH.findall(s.t)) < 2:
        return  # every pattern relates two names
    variants = [s.t]
    stripped = _strip_asides(s.t)
    if stripped != s.t:
        variants.append(stripped)
    for aside in re.finditer(r" - ([^-]+?) - ", s.t):
        if _PH.search(aside[1]):
            variants.append(s.t[: aside.end() - 3])
    for variant in variants:
        for pat in PATTERNS:
            for m in _overlapping(pat.regex, variant):
                groups = m.groupdict()
                gap = groups.get("gap") or ""
                context = " ".join(x for x in (gap, groups.get("gap2")) if x)
                if pat.check and NEGATION.search(context):
                    continue
                conf = pat.confidence * (0.9 if CLAIM.search(context) else 1.0)
                found = {k: indices(groups.get(k)) for k in ("X", "Y", "Z")}
                if _RELATIVE.match(gap) and not pat.pairwise:
                    # ", which is supported by": the relative clause belongs to the nearest name only
                    first = "Y" if pat.reverse else "X"
                    found[first] = found[first][-1:]
                if pat.pairwise:
                    xs = _dedupe(found["X"], s)
                    for a in range(len(xs)):
                        for b in range(a + 1, len(xs)):
                            s.hit(xs[a], pat.relation, xs[b], conf, pat.name, m.group())
                    continue
                for relation, left, right in ((pat.relation, "X", "Y"), *pat.edges):
                    for x in found[left]:
                        for y in found[right]:
                            s.hit(x, relation, y, conf, pat.name, m.group())


def _dedupe(xs: list[int], s: Sentence) -> list[int]:
    seen, out = set(), []
    for x in xs:
        if s.actor(x).id not in seen:
            seen.add(s.actor(x).id)
            out.append(x)
    return out


_RELATIVE = re.compile(r"(?:(?:,| -)? (?:which|who|that)\b)|(?: in (?:the )?<\d+:R>(?:,| -)? (?:which|who|that)\b)")


def _overlapping(rx: re.Pattern, text: str):
    """Matches starting at every placeholder, so that nearby facts do not hide each other.

    A match inside an earlier one (the same words, read from a later name) is skipped.
    """
    pos = 0
    spans: list[tuple[int, int]] = []
    while pos < len(text):
        m = rx.search(text, pos)
        if m is None:
            return
        if not any(a <= m.start() and m.end() <= b for a, b in spans):
            spans.append(m.span())
            yield m
        nxt = text.find("<", m.start() + 1)
        pos = nxt if nxt > 0 else len(text)


def _strip_asides(t: str) -> str:
    """The sentence without its dashed or bracketed asides ("Russia - a staunch ally of X - and Turkey")."""
    t = re.sub(r" - [^-]*? - ", " ", t)
    t = re.sub(r" \([^()]*\)", "", t)
    t = re.sub(r", (?:[a-z]+ed|led|held|run) (?:by|in|with|from) [^,;]{0,60}?,", "", t)
    return re.sub(r",? (?:which|who) [^,<]*(?:<\d+:[SGLOAR]>[^,<]*)*?(?:denies|denied|deny)[^,-]*[,-]", "", t)


def resolve_pairs(s: Sentence, prev_pair) -> None:
    """'they', 'the two countries', 'both sides' -> the last two actors named together."""
    if prev_pair is None:
        return
    a, b = prev_pair

    def repl(m: re.Match) -> str:
        i = s.add_mention(Mention(a.start, a.end, m.group(), a.actor, "coref"), a.actor, "coref")
        j = s.add_mention(Mention(b.start, b.end, m.group(), b.actor, "coref"), b.actor, "coref")
        return f"{s.ph(i)} and {s.ph(j)}"

    s.t = _PAIR_WORDS.sub(repl, s.t)


def last_pair(s: Sentence) -> tuple[Mention, Mention] | None:
    """Two states (or leaders) named together in this sentence ("Russia and Turkey", "Moscow and Ankara")."""
    for m in re.finditer(r"<(\d+):([SL])>(?: and |-|, )<(\d+):([SL])>", s.t):
        i, j = int(m[1]), int(m[3])
        if m[2] == m[4] and s.actor(i).id != s.actor(j).id:
            return (s.mentions[i], s.mentions[j])
    return None


def respectively(s: Sentence, prev_leaders) -> None:
    """'the Russian and Turkish presidents' after 'Putin and Erdogan': leaderOf, in order."""
    if prev_leaders is None:
        return
    m = re.search(r"\bthe <(\d+):a> and <(\d+):a> (?:presidents|leaders|heads of state)\b", s.t)
    if m:
        for leader, adj in zip(prev_leaders, (int(m[1]), int(m[2])), strict=True):
            i = s.add_mention(leader, leader.actor, "coref")
            s.hit(i, "leaderOf", adj, 0.7, "respectively", m.group())
            s.hit(i, "leaderOf", adj, 0.7, "respectively", m.group())


def plain_adjectives(s: Sentence) -> None:
    """Adjectives no rewrite used become plain words again ("the Turkish border")."""
    s.t = _PH.sub(lambda m: fold_chars(s.mentions[int(m[1])].text) if m[2] == "a" else m.group(), s.t)


def valid(subject: Actor, relation: str, obj: Actor) -> bool:
    """The ontology's class constraints, and the extractor's own: no self-loops, no places as agents."""
    if check_signature(subject, relation, obj):
        return False
    if relation not in {"partyTo"} and obj.cls == "Agreement":
        return False
    if subject.cls in {"Agreement", "Region"}:
        return False
    if relation not in {"operatesIn", "controls", "locatedIn"} and obj.cls == "Region":
        return False
    if relation == "memberOf" and obj.cls not in {"State", "Organization", "ArmedGroup"}:
        return False
    return True
