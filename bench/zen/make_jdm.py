#!/usr/bin/env python3
"""Writes the COP 2024 rules as a GoRules Zen decision graph (JDM) for the Zen
comparison of bench/run.sh, from the Tamis rule files themselves.

    python3 bench/zen/make_jdm.py [--rules rules/cop2024] [--out bench/zen] [--check]

Writes two files, deterministic (same rule files -> same bytes, committed):

  cop2024.json   the decision graph Zen evaluates, one dossier per evaluation:
                   dossier (input)
                   -> definitions   expression node: levier_reconnu, contribue, mature, ...
                                    (classement.tamis, one expression per « soit »)
                   -> categorie     decision table, hit policy "first": R0..R4 as in the
                                    « décision categorie : Categorie première » block
                   -> leviers       decision table, one row per lever of leviers.tamis
                                    (50 rows: lever -> secteur, axes), evaluated once per
                                    recognised lever of the dossier (loop mode)
                   -> resultat      expression node: categorie, regle, axes (union of the
                                    levers' axes, in the order of the Axe enumeration),
                                    secteurs
                   -> output
  decode.json    what zen_bench.js needs to decode a campaign row the way Tamis does
                 (not timed): the schema's columns, every enumeration's spellings (name,
                 label, code, aliases) and every lever's name and aliases.

The rule *logic* (which definition combines which conditions, the order of the rules)
is transcribed here by hand from classement.tamis; every constant it uses (the
maturity values, the "other needs" themes, the states of R0, the start-date horizon,
the lever catalogue, the axes) is read from the rule files, and a constant that no
longer resolves makes this script fail. --check exits 1 when the committed files
differ from what the rules give now.
"""

import argparse
import json
import os
import re
import sys

# --------------------------------------------------------------------------
# A small tokenizer for the parts of the Tamis language read here
# --------------------------------------------------------------------------
TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<date>\d{4}-\d{2}-\d{2})
  | (?P<number>\d+(?:[.,]\d+)?)
  | (?P<word>[^\W\d]\w*(?:'\w+)*)
  | (?P<punct>[{}()|,:=?<>!])
  | (?P<other>\S)
""", re.S | re.X)


def tokens(text):
    pos = 0
    out = []
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise SystemExit(f"make_jdm: cannot read the rules near {text[pos:pos + 40]!r}")
        pos = m.end()
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        value = m.group(kind)
        if kind == "string":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        out.append((kind, value))
    return out


def read_rules(rules_dir):
    texts = {}
    for name in sorted(os.listdir(rules_dir)):
        if name.endswith(".tamis"):
            with open(os.path.join(rules_dir, name), encoding="utf-8") as f:
                texts[name] = f.read()
    return texts


def parse_enums(toks):
    """énumération Name { value "label" [code "c"] [alias "a", "b"] ... }"""
    enums = {}
    i = 0
    while i < len(toks):
        if toks[i] == ("word", "énumération"):
            name = toks[i + 1][1]
            assert toks[i + 2] == ("punct", "{"), name
            i += 3
            values = []
            while toks[i] != ("punct", "}"):
                kind, word = toks[i]
                assert kind == "word", (name, toks[i])
                v = {"name": word, "label": word, "code": None, "aliases": []}
                i += 1
                if toks[i][0] == "string":
                    v["label"] = toks[i][1]
                    i += 1
                while toks[i] in (("word", "code"), ("word", "alias")):
                    if toks[i][1] == "code":
                        v["code"] = toks[i + 1][1]
                        i += 2
                    else:
                        i += 1
                        while True:
                            v["aliases"].append(toks[i][1])
                            i += 1
                            if toks[i] != ("punct", ","):
                                break
                            i += 1
                values.append(v)
            enums[name] = values
        i += 1
    return enums


def parse_schema(toks):
    """schéma Dossier { field : type colonne "label" ... } -> {field: column label}"""
    i = toks.index(("word", "schéma"))
    while toks[i] != ("punct", "{"):
        i += 1
    columns = {}
    field = None
    while toks[i] != ("punct", "}"):
        if toks[i][0] == "word" and toks[i + 1] == ("punct", ":"):
            field = toks[i][1]
        if toks[i] == ("word", "colonne"):
            columns[field] = toks[i + 1][1]
        i += 1
    return columns


def parse_levers(toks):
    """table Levier ( ... ) { "name" [alias "a", ...] | "secteur" | {axes} | n | n | "origine" ... }"""
    i = toks.index(("word", "table"))
    assert toks[i + 1] == ("word", "Levier")
    while toks[i] != ("punct", ")"):
        i += 1
    i += 1
    assert toks[i] == ("punct", "{")
    i += 1
    levers = []
    while toks[i] != ("punct", "}"):
        assert toks[i][0] == "string", toks[i]
        lever = {"name": toks[i][1], "aliases": []}
        i += 1
        if toks[i] == ("word", "alias"):
            i += 1
            while True:
                lever["aliases"].append(toks[i][1])
                i += 1
                if toks[i] != ("punct", ","):
                    break
                i += 1
        cells = []
        while toks[i] == ("punct", "|"):
            i += 1
            if toks[i] == ("punct", "{"):
                axes = []
                i += 1
                while toks[i] != ("punct", "}"):
                    if toks[i][0] == "word":
                        axes.append(toks[i][1])
                    i += 1
                cells.append(axes)
            else:
                cells.append(toks[i][1])
            i += 1
        lever["secteur"], lever["axes"] = cells[0], cells[1]
        levers.append(lever)
    return levers


def soit_body(text, name):
    """The text after « soit NAME "..." = » up to the next definition or block."""
    m = re.search(r"^soit\s+" + re.escape(name) + r"\b[^=]*=(.*?)(?=^\S)", text, re.S | re.M)
    if not m:
        raise SystemExit(f"make_jdm: « soit {name} » not found in classement.tamis")
    return m.group(1)


# --------------------------------------------------------------------------
# The graph
# --------------------------------------------------------------------------
def zen_string(s):
    return json.dumps(s, ensure_ascii=False)


def zen_list(items):
    return "[" + ", ".join(zen_string(s) for s in items) + "]"


def build(rules_dir):
    texts = read_rules(rules_dir)
    alltoks = []
    for name, text in texts.items():
        if name != "tests.tamis":
            alltoks += tokens(text)
    enums = parse_enums(alltoks)
    schema = parse_schema(tokens(texts["dossier.tamis"]))
    levers = parse_levers(tokens(texts["leviers.tamis"]))
    classement = texts["classement.tamis"]

    def codes(enum, body):
        """Enum value names for the quoted labels of a « dans {...} » set in body."""
        labels = [v for k, v in tokens(body) if k == "string"]
        by_label = {v["label"]: v["name"] for v in enums[enum]}
        missing = [s for s in labels if s not in by_label]
        if missing or not labels:
            raise SystemExit(f"make_jdm: labels {missing} are not values of {enum}")
        return [by_label[s] for s in labels]

    mature_values = codes("Maturite", soit_body(classement, "avancement_suffisant"))
    r0_states = codes("EtatDossier", soit_body(classement, "non_depose"))
    other_needs = codes("Thematique", soit_body(classement, "autres_besoins"))
    horizon = re.search(r"\d{4}-\d{2}-\d{2}", soit_body(classement, "horizon_demarrage")).group(0)
    axes_order = [v["name"] for v in enums["Axe"]]
    category_labels = {v["name"]: v["label"] for v in enums["Categorie"]}
    rule_names = re.findall(r'(?:règle|sinon)\s+"([^"]+)"', classement)
    if len(rule_names) != 5 or len(levers) != 50:
        raise SystemExit(f"make_jdm: expected 5 rules and 50 levers, got {len(rule_names)} and "
                         f"{len(levers)}: the rules changed, update this transcription")

    ids = iter(range(1, 1000))

    def nid(prefix):
        return f"{prefix}-{next(ids):03d}"

    def expression_node(node_id, name, exprs, pass_through, x):
        return {
            "id": node_id, "type": "expressionNode", "name": name,
            "position": {"x": x, "y": 200},
            "content": {
                "expressions": [{"id": nid("e"), "key": k, "value": v} for k, v in exprs],
                "passThrough": pass_through,
                "inputField": None, "outputPath": None, "executionMode": "single",
            },
        }

    # --- definitions (classement.tamis, one per « soit ») -------------------------
    definitions = [
        ("levier_reconnu", "len(leviers) > 0"),
        ("impact_ou_replicable", "impact_significatif == true or replicable == true"),
        ("contribue", "$.levier_reconnu and $.impact_ou_replicable"),
        ("avancement_suffisant", f"maturite in {zen_list(mature_values)}"),
        ("maitre_ouvrage_connu", "maitre_ouvrage != null"),
        ("prochaines_etapes_dites", "prochaines_etapes != null"),
        ("financement_sollicite", "len(financements) > 0"),
        ("demarrage_proche",
         f"date_demarrage != null and date(date_demarrage) <= date({zen_string(horizon)})"),
        ("mature", "$.avancement_suffisant and $.maitre_ouvrage_connu and "
                   "$.prochaines_etapes_dites and $.financement_sollicite and $.demarrage_proche"),
        ("non_depose", f"etat in {zen_list(r0_states)}"),
    ]

    # --- décision categorie : Categorie première --------------------------------
    col = {k: nid("in") for k in ("non_depose", "contribue", "mature", "thematique")}
    out_cat, out_rule = nid("out"), nid("out")

    def row(cells, categorie, rule):
        r = {"_id": nid("r"), "_description": rule}
        for k, c in col.items():
            r[c] = cells.get(k, "")
        r[out_cat] = zen_string(categorie)
        r[out_rule] = zen_string(rule)
        return r

    categorie_table = {
        "hitPolicy": "first",
        "inputs": [{"id": c, "name": k, "field": k} for k, c in col.items()],
        "outputs": [{"id": out_cat, "name": "categorie", "field": "categorie"},
                    {"id": out_rule, "name": "regle", "field": "regle"}],
        "rules": [
            row({"non_depose": "true"}, "non_remonte", rule_names[0]),
            row({"contribue": "true", "mature": "true"}, "a_remonter", rule_names[1]),
            row({"contribue": "true"}, "a_travailler", rule_names[2]),
            row({"thematique": ", ".join(zen_string(t) for t in other_needs)},
                "hors_cop_mais_crte", rule_names[3]),
            row({}, "non_remonte", rule_names[4]),
        ],
        "passThrough": True, "inputField": None, "outputPath": None, "executionMode": "single",
    }
    assert set(category_labels) == {"a_remonter", "a_travailler", "hors_cop_mais_crte",
                                    "non_remonte"}

    # --- table Levier: lever -> secteur, axes, once per recognised lever ---------
    lv_in, lv_sect, lv_axes = nid("in"), nid("out"), nid("out")
    lever_table = {
        "hitPolicy": "first",
        "inputs": [{"id": lv_in, "name": "levier", "field": "levier"}],
        "outputs": [{"id": lv_sect, "name": "secteur", "field": "secteur"},
                    {"id": lv_axes, "name": "axes", "field": "axes"}],
        "rules": [{"_id": nid("r"), lv_in: zen_string(lv["name"]),
                   lv_sect: zen_string(lv["secteur"]), lv_axes: zen_list(lv["axes"])}
                  for lv in levers],
        "passThrough": True, "inputField": "leviers", "outputPath": "leviers_detail",
        "executionMode": "loop",
    }

    result = [
        ("categorie", "categorie"),
        ("regle", "regle"),
        ("axes_actives", "flatten(map(leviers_detail, #.axes))"),
        ("axes", f"filter({zen_list(axes_order)}, # in $.axes_actives)"),
        ("secteurs", "map(leviers_detail, #.secteur)"),
    ]

    n_in, n_def, n_cat, n_lev, n_res, n_out = (nid("node") for _ in range(6))
    graph = {
        "contentType": "application/vnd.gorules.decision",
        "nodes": [
            {"id": n_in, "type": "inputNode", "name": "dossier", "position": {"x": 0, "y": 200}},
            expression_node(n_def, "definitions", definitions, True, 250),
            {"id": n_cat, "type": "decisionTableNode", "name": "categorie",
             "position": {"x": 500, "y": 200}, "content": categorie_table},
            {"id": n_lev, "type": "decisionTableNode", "name": "leviers",
             "position": {"x": 750, "y": 200}, "content": lever_table},
            expression_node(n_res, "resultat", result, False, 1000),
            {"id": n_out, "type": "outputNode", "name": "resultat",
             "position": {"x": 1250, "y": 200}},
        ],
        "edges": [{"id": nid("edge"), "type": "edge", "sourceId": a, "targetId": b}
                  for a, b in ((n_in, n_def), (n_def, n_cat), (n_cat, n_lev), (n_lev, n_res),
                               (n_res, n_out))],
    }

    decode = {
        "source": rules_dir,
        "columns": schema,
        "enums": {name: [{"name": v["name"], "spellings": [s for s in (
            v["name"], v["label"], v["code"], *v["aliases"]) if s is not None]}
            for v in values]
            for name, values in enums.items()
            if name in ("EtatDossier", "Departement", "Thematique", "Maturite", "Financement")},
        "levers": [{"name": lv["name"], "aliases": lv["aliases"]} for lv in levers],
    }
    return graph, decode


def dump(obj):
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rules", default=os.path.join(root, "rules", "cop2024"))
    ap.add_argument("--out", default=here)
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if the files in --out differ from what the rules give")
    args = ap.parse_args(argv)
    graph, decode = build(args.rules)
    decode["source"] = "rules/cop2024"
    stale = []
    for name, obj in (("cop2024.json", graph), ("decode.json", decode)):
        path = os.path.join(args.out, name)
        text = dump(obj)
        if args.check:
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() != text:
                        stale.append(path)
            except FileNotFoundError:
                stale.append(path)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    if stale:
        print("make_jdm: out of date (run python3 bench/zen/make_jdm.py): " + ", ".join(stale),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
