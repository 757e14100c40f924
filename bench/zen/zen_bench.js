#!/usr/bin/env node
// GoRules Zen side of the Zen comparison (bench/run.sh, issue #7).
//
//   node bench/zen/zen_bench.js CAMPAIGN.csv --output zen.csv [--rows N]
//        [--mode single|batch|both] [--concurrency K[,K...]] [--repeat R]
//
// 1. Reads a campaign export (tools/gen_campaign.py, or any Démarches-simplifiées
//    export in UTF-8) and decodes every row into the JSON the Zen graph takes, the
//    way Tamis decodes it (runtime/io/record_decoder.cpp, label_matcher.cpp): cells
//    trimmed, enumerations and lever labels matched on the same normalised key (case
//    folded, accents dropped, typographic apostrophes, space runs), lever cells split
//    on ", " with the longest run of pieces matched first, an alias naming several
//    levers giving all of them, dates AAAA-MM-JJ or JJ/MM/AAAA, Oui/Non. A row Tamis
//    would reject (unreadable value) is not evaluated and gets an empty category.
//    NOT timed.
// 2. Evaluates every decoded dossier with the Zen engine (bench/zen/cop2024.json,
//    one decision object created once and reused). Timed, on the main thread:
//      single  one evaluation in flight at a time (await in a loop)
//      batch   K evaluations in flight (bounded concurrency), the "batch mode"
//    Run it pinned to one core (taskset -c 0) for a one-core figure: the Zen binding
//    may evaluate on worker threads; the cpu= figure printed says how much CPU the
//    process used per wall second.
// 3. Writes ID,categorie,axes per dossier (input order) to --output; prints one line per
//    mode and a final machine-readable line:
//      ZEN dossiers_per_s=N mode=M rows=R ...

'use strict';

const fs = require('fs');
const path = require('path');

const HERE = __dirname;

function usage(msg) {
  if (msg) process.stderr.write(`zen_bench: ${msg}\n`);
  process.stderr.write('usage: zen_bench.js CAMPAIGN.csv --output ZEN.csv [--rows N] ' +
                       '[--mode single|batch|both] [--concurrency K] [--repeat R]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const a = { campaign: null, output: null, rows: Infinity, mode: 'both', concurrency: [8, 64],
              repeat: 1, graph: path.join(HERE, 'cop2024.json'),
              decode: path.join(HERE, 'decode.json') };
  for (let i = 0; i < argv.length; ++i) {
    const k = argv[i];
    const next = () => { if (i + 1 >= argv.length) usage(`${k} needs a value`); return argv[++i]; };
    if (k === '--output') a.output = next();
    else if (k === '--rows') a.rows = Number(next());
    else if (k === '--mode') a.mode = next();
    else if (k === '--concurrency') a.concurrency = next().split(',').map(Number);
    else if (k === '--repeat') a.repeat = Number(next());
    else if (k === '--graph') a.graph = next();
    else if (k === '--decode') a.decode = next();
    else if (k.startsWith('--')) usage(`unknown option ${k}`);
    else if (!a.campaign) a.campaign = k;
    else usage(`unexpected argument ${k}`);
  }
  if (!a.campaign || !a.output) usage();
  if (!['single', 'batch', 'both'].includes(a.mode)) usage(`bad --mode ${a.mode}`);
  if (!a.concurrency.every((k) => k >= 1) || !(a.repeat >= 1) || !(a.rows >= 1)) usage('bad number');
  return a;
}

// ---------------------------------------------------------------------------
// Text rules of support/text.cpp
// ---------------------------------------------------------------------------
const ASCII_SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);
const TRIM_CHARS = new Set([...ASCII_SPACE, '\u00a0', '\u202f']);

function trim(s) {
  let b = 0;
  let e = s.length;
  while (b < e && TRIM_CHARS.has(s[b])) ++b;
  while (e > b && TRIM_CHARS.has(s[e - 1])) --e;
  return b === 0 && e === s.length ? s : s.slice(b, e);
}

function isLabelSpace(cp) {
  return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0xa0 || cp === 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f ||
         cp === 0x205f || cp === 0x3000;
}

function isCombiningMark(cp) {
  return (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x1ab0 && cp <= 0x1aff) ||
         (cp >= 0x1dc0 && cp <= 0x1dff) || (cp >= 0x20d0 && cp <= 0x20ff) ||
         (cp >= 0xfe20 && cp <= 0xfe2f);
}

// normalize_label: full case folding (approximated by upper- then lower-casing, which
// folds "ß" to "ss" as ICU does), NFD, combining marks dropped, ’ ‘ ʼ -> ', runs of
// spaces -> one space, no space at either end.
function normalizeLabel(s) {
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(s);
  const folded = ascii ? s.toLowerCase() : s.toUpperCase().toLowerCase().normalize('NFD');
  let out = '';
  let pending = false;
  for (const ch of folded) {
    const cp = ch.codePointAt(0);
    if (isLabelSpace(cp)) { pending = out.length > 0; continue; }
    if (isCombiningMark(cp)) continue;
    if (pending) { out += ' '; pending = false; }
    out += (cp === 0x2019 || cp === 0x2018 || cp === 0x02bc) ? "'" : ch;
  }
  return out;
}

function daysInMonth(y, m) {
  if (m === 2) return (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

// parse_date: AAAA-MM-JJ or JJ/MM/AAAA, checked against the calendar -> "AAAA-MM-JJ".
function parseDate(s) {
  let y, m, d;
  let r = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (r) { y = +r[1]; m = +r[2]; d = +r[3]; } else {
    r = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s);
    if (!r) return null;
    d = +r[1]; m = +r[2]; y = +r[3];
  }
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// parse_integer: optional sign, digits, optionally grouped by 3 with a space or no-break space.
function parseInteger(s) {
  if (!/^[+-]?(\d+|\d{1,3}([ \u00a0\u202f]\d{3})+)$/.test(s)) return null;
  return s.replace(/[ \u00a0\u202f+]/g, '').replace(/^-0+(?=\d)/, '-').replace(/^0+(?=\d)/, '');
}

function parseBoolean(s) {
  const k = normalizeLabel(s);
  if (['oui', 'on', 'vrai', 'true', 'yes'].includes(k)) return true;
  if (['non', 'off', 'faux', 'false', 'no'].includes(k)) return false;
  return undefined;
}

// ---------------------------------------------------------------------------
// CSV (RFC 4180: quoted fields with "" escapes, commas and newlines inside quotes)
// ---------------------------------------------------------------------------
function* csvRecords(text, sep) {
  const n = text.length;
  let i = 0;
  const sepCode = sep.charCodeAt(0);
  while (i < n) {
    const row = [];
    for (;;) {
      let field;
      if (text.charCodeAt(i) === 34) {  // "
        let j = i + 1;
        let parts = '';
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) throw new Error('unterminated quoted field');
          parts += text.slice(j, q);
          if (text.charCodeAt(q + 1) === 34) { parts += '"'; j = q + 2; continue; }
          i = q + 1;
          break;
        }
        field = parts;
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === sepCode || c === 10 || c === 13) break;
          ++j;
        }
        field = text.slice(i, j);
        i = j;
      }
      row.push(field);
      const c = text.charCodeAt(i);
      if (c === sepCode) { ++i; continue; }
      if (c === 13) ++i;
      if (text.charCodeAt(i) === 10) ++i;
      else if (i < n && c !== 13) throw new Error(`unexpected character after a quoted field at offset ${i}`);
      break;
    }
    yield row;
  }
}

// ---------------------------------------------------------------------------
// Decoding (runtime/io/record_decoder.cpp)
// ---------------------------------------------------------------------------
class Decoder {
  constructor(spec, header) {
    this.spec = spec;
    this.enums = {};
    for (const [name, values] of Object.entries(spec.enums)) {
      const m = new Map();
      for (const v of values) for (const s of v.spellings) m.set(normalizeLabel(s), v.name);
      this.enums[name] = m;
    }
    this.leverIndex = new Map();   // normalised label -> lever indices (an alias may name several)
    this.longestLabelPieces = 1;
    spec.levers.forEach((lv, i) => {
      for (const label of [lv.name, ...lv.aliases]) {
        const key = normalizeLabel(label);
        if (!this.leverIndex.has(key)) this.leverIndex.set(key, []);
        const lst = this.leverIndex.get(key);
        if (!lst.includes(i)) lst.push(i);
        this.longestLabelPieces = Math.max(this.longestLabelPieces, label.split(', ').length);
      }
    });
    this.leverCache = new Map();
    this.enumCache = new Map();
    // Columns by header label: exact spelling first, then the normalised label.
    const norm = header.map(normalizeLabel);
    this.pos = {};
    for (const [field, label] of Object.entries(spec.columns)) {
      let k = header.indexOf(label);
      if (k < 0) k = norm.indexOf(normalizeLabel(label));
      if (k < 0) throw new Error(`column « ${label} » missing from the header`);
      this.pos[field] = k;
    }
    this.width = header.length;
  }

  enumValue(name, text) {
    const key = name + '\u0000' + text;
    let v = this.enumCache.get(key);
    if (v === undefined) {
      v = this.enums[name].get(normalizeLabel(text)) ?? null;
      if (this.enumCache.size < 10000) this.enumCache.set(key, v);
    }
    return v;
  }

  // label_matcher.cpp: split on ", ", longest run of pieces first; unknown pieces kept aside.
  levers(cell) {
    let hit = this.leverCache.get(cell);
    if (hit) return hit;
    const pieces = cell.split(', ');
    const found = new Set();
    for (let i = 0; i < pieces.length;) {
      if (trim(pieces[i]) === '') { ++i; continue; }
      const longest = Math.min(pieces.length, i + this.longestLabelPieces);
      let matched = false;
      for (let j = longest; j > i && !matched; --j) {
        const rows = this.leverIndex.get(normalizeLabel(pieces.slice(i, j).join(', ')));
        if (!rows) continue;
        for (const r of rows) found.add(r);
        i = j;
        matched = true;
      }
      if (!matched) ++i;
    }
    hit = [...found].sort((a, b) => a - b).map((r) => ({ levier: this.spec.levers[r].name }));
    if (this.leverCache.size < 100000) this.leverCache.set(cell, hit);
    return hit;
  }

  // -> { id, input } or { id, reject }
  decode(row) {
    if (row.length !== this.width) {
      return { id: '', reject: `${row.length} champ(s) au lieu des ${this.width} de l'en-tête` };
    }
    const raw = (f) => row[this.pos[f]];
    const errors = [];
    const cell = (f) => trim(raw(f));
    const optEnum = (f, e, required) => {
      const s = cell(f);
      if (s === '') { if (required) errors.push(`${f}: valeur obligatoire manquante`); return null; }
      const v = this.enumValue(e, s);
      if (v === null) errors.push(`${f}: valeur inconnue « ${s} »`);
      return v;
    };
    const optBool = (f) => {
      const s = cell(f);
      if (s === '') return null;
      const v = parseBoolean(s);
      if (v === undefined) { errors.push(`${f}: réponse illisible`); return null; }
      return v;
    };
    const optText = (f) => { const s = cell(f); return s === '' ? null : s; };

    const idText = cell('id');
    const id = idText === '' ? null : parseInteger(idText);
    if (id === null) errors.push(`id: ${idText === '' ? 'valeur obligatoire manquante' : 'nombre entier illisible'}`);
    const financements = [];
    if (cell('financements') !== '') {
      for (let piece of raw('financements').split(', ')) {
        piece = trim(piece);
        if (piece === '') continue;
        const v = this.enumValue('Financement', piece);
        if (v === null) errors.push(`financements: valeur inconnue « ${piece} »`);
        else if (!financements.includes(v)) financements.push(v);
      }
    }
    let date = null;
    const dateText = cell('date_demarrage');
    if (dateText !== '') {
      date = parseDate(dateText);
      if (date === null) errors.push('date_demarrage: date illisible');
    }
    const input = {
      etat: optEnum('etat', 'EtatDossier', true),
      departement: optEnum('departement', 'Departement', false),  // checked, unused by the rules
      thematique: optEnum('thematique', 'Thematique', false),
      leviers: this.levers(raw('leviers')),
      impact_significatif: optBool('impact_significatif'),
      replicable: optBool('replicable'),
      maturite: optEnum('maturite', 'Maturite', false),
      maitre_ouvrage: optText('maitre_ouvrage'),
      prochaines_etapes: optText('prochaines_etapes'),
      financements,
      date_demarrage: date,
    };
    if (errors.length) return { id: id ?? idText, reject: errors.join(' ; ') };
    delete input.departement;  // not read by the decision graph: not sent to Zen
    return { id, input };
  }
}

// Reads the whole file, or with --rows N only a prefix large enough for N records
// (cut after a newline byte, which never falls inside a UTF-8 sequence; a prefix
// that ends inside a record is read again, twice as large).
function readText(file, bytes) {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    let n = Math.min(size, bytes);
    let buf = Buffer.allocUnsafe(n);
    n = fs.readSync(fd, buf, 0, n, 0);
    buf = buf.subarray(0, n);
    const whole = n >= size;
    if (!whole) buf = buf.subarray(0, buf.lastIndexOf(10) + 1);
    if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), whole };
    } catch {
      throw new Error(`${file}: not valid UTF-8 (the Zen bench reads UTF-8 campaigns only)`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function loadCampaign(file, maxRows, spec) {
  for (let bytes = Number.isFinite(maxRows) ? (maxRows + 1) * 1024 : Infinity; ; bytes *= 2) {
    const { text, whole } = readText(file, bytes);
    const eol = text.indexOf('\n');
    const first = eol < 0 ? text : text.slice(0, eol);
    const sep = (first.split(';').length > first.split(',').length) ? ';' : ',';
    const it = csvRecords(text, sep);
    const header = it.next().value.map((h) => trim(h));
    const decoder = new Decoder(spec, header);
    const rows = [];
    try {
      for (const row of it) {
        if (row.length === 1 && row[0] === '') continue;  // blank line
        rows.push(decoder.decode(row));
        if (rows.length >= maxRows) return rows;
      }
    } catch (e) {
      if (whole) throw new Error(`${file}: malformed CSV: ${e.message}`);
      continue;  // the prefix ended inside a quoted field
    }
    if (whole) return rows;
    rows.length = 0;  // the last record may have been cut: read more
  }
}

// ---------------------------------------------------------------------------
// Evaluation (timed)
// ---------------------------------------------------------------------------
async function runSingle(decision, inputs, out) {
  for (let i = 0; i < inputs.length; ++i) {
    out[i] = (await decision.evaluate(inputs[i])).result;
  }
}

async function runBatch(decision, inputs, out, k) {
  let next = 0;
  async function worker() {
    while (next < inputs.length) {
      const i = next++;
      out[i] = (await decision.evaluate(inputs[i])).result;
    }
  }
  await Promise.all(Array.from({ length: Math.min(k, inputs.length) }, worker));
}

async function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6 };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  let ZenEngine;
  try {
    ({ ZenEngine } = require(path.join(HERE, 'node_modules', '@gorules', 'zen-engine')));
  } catch (e) {
    throw new Error(`@gorules/zen-engine is not installed: run npm ci --prefix bench/zen (${e.message})`);
  }
  const zenVersion = require(path.join(HERE, 'node_modules', '@gorules', 'zen-engine', 'package.json')).version;
  const spec = JSON.parse(fs.readFileSync(args.decode, 'utf8'));

  const tDecode = process.hrtime.bigint();
  const rows = loadCampaign(args.campaign, args.rows, spec);
  const decodeS = Number(process.hrtime.bigint() - tDecode) / 1e9;
  const evalIdx = [];
  rows.forEach((r, i) => { if (r.input) evalIdx.push(i); });
  const inputs = evalIdx.map((i) => rows[i].input);
  process.stderr.write(`zen_bench: ${rows.length} row(s) decoded in ${decodeS.toFixed(2)} s ` +
                       `(not timed), ${rows.length - inputs.length} rejected, ` +
                       `${inputs.length} to evaluate; Zen ${zenVersion}\n`);

  const engine = new ZenEngine();
  const decision = engine.createDecision(fs.readFileSync(args.graph));
  decision.validate();
  // Warm-up (not timed): first evaluations compile the expressions and fault pages in.
  const warm = new Array(Math.min(2000, inputs.length));
  await runSingle(decision, inputs.slice(0, warm.length), warm);

  const modes = [];
  if (args.mode !== 'batch') modes.push(['single', 1]);
  if (args.mode !== 'single') for (const k of args.concurrency) modes.push(['batch', k]);
  let best = null;
  let categories = null;
  for (const [mode, k] of modes) {
    for (let rep = 0; rep < args.repeat; ++rep) {
      const out = new Array(inputs.length);
      const { wall, cpu } = await timed(() => (mode === 'single'
        ? runSingle(decision, inputs, out)
        : runBatch(decision, inputs, out, k)));
      const rate = inputs.length / wall;
      process.stderr.write(`zen_bench: ${mode}${mode === 'batch' ? ` (${k} in flight)` : ''}: ` +
                           `${inputs.length} dossiers in ${wall.toFixed(3)} s = ${Math.round(rate)} dossiers/s, ` +
                           `cpu ${(cpu / wall).toFixed(2)} core(s), ${Math.round(inputs.length / cpu)} dossiers/cpu-s\n`);
      if (categories) {
        for (let i = 0; i < out.length; ++i) {
          if (out[i].categorie !== categories[i].categorie) {
            throw new Error(`dossier ${rows[evalIdx[i]].id}: ${mode} gave ${out[i].categorie}, ` +
                            `earlier run ${categories[i].categorie}`);
          }
        }
      }
      categories = out;
      if (!best || rate > best.rate) best = { mode, k, rate, wall, cpu };
    }
  }

  // ID,categorie (+ axes, the union of the levers' axes, as Tamis writes it).
  const lines = ['ID,categorie,axes'];
  let k = 0;
  for (const r of rows) {
    const res = r.input ? categories[k++] : null;
    lines.push(`${r.id},${res ? res.categorie : ''},${res ? res.axes.join(' | ') : ''}`);
  }
  fs.writeFileSync(args.output, lines.join('\n') + '\n');
  engine.dispose();

  process.stdout.write(`ZEN dossiers_per_s=${Math.round(best.rate)} mode=${best.mode} ` +
                       `concurrency=${best.k} ` +
                       `rows=${rows.length} evaluated=${inputs.length} seconds=${best.wall.toFixed(3)} ` +
                       `cpu_cores=${(best.cpu / best.wall).toFixed(2)} ` +
                       `dossiers_per_cpu_s=${Math.round(inputs.length / best.cpu)} zen=${zenVersion}\n`);
}

module.exports = { normalizeLabel, parseDate, Decoder, loadCampaign, runSingle, runBatch };

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`zen_bench: error: ${e.message}\n`);
    process.exit(e.exitCode || 2);
  });
}
