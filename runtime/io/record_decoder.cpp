#include "runtime/io/record_decoder.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <iterator>

#include "runtime/io/label_matcher.hpp"
#include "support/bytes.hpp"
#include "support/label_table.hpp"
#include "support/lang.hpp"
#include "support/text.hpp"

namespace tamis::io {

using graph::Base;
using graph::Value;

namespace {

// Distinct cell texts remembered per enumeration; exports repeat a few spellings per
// value, so this is reached only by campaigns with very varied cells.
constexpr std::size_t kCacheLimit = 10000;

// A yes/no answer in another spelling than exports use (« OUI », « vrai », « yes »…):
// out of line, so that parse_boolean's usual path keeps no string on its frame.
[[gnu::noinline]] std::optional<bool> parse_boolean_otherwise(std::string_view s) {
  const auto among = [](std::string_view key, std::initializer_list<std::string_view> words) {
    return std::find(words.begin(), words.end(), key) != words.end();
  };
  const std::string key = text::normalize_label(s);
  if (among(key, {"oui", "on", "vrai", "true", "yes"})) return true;
  if (among(key, {"non", "off", "faux", "false", "no"})) return false;
  return std::nullopt;
}

std::optional<bool> parse_boolean(std::string_view s) {
  // The spellings exports use (Oui / Non, on / off for a checkbox) as they are first:
  // normalising allocates, and these cells are in every row.
  if (s == "Oui" || s == "on") return true;
  if (s == "Non" || s == "off") return false;
  return parse_boolean_otherwise(s);
}

std::string enum_choices(const graph::Enum& e) {
  std::vector<std::string> labels;
  for (const auto& v : e.values) labels.push_back(v.label);
  return fmt::format("{}", fmt::join(labels, ", "));
}

std::string unknown_enum_reason(const graph::Enum& e, std::string_view value) {
  std::vector<std::string> labels;
  for (const auto& v : e.values) labels.push_back(v.label);
  if (auto m = text::closest_match(value, labels)) {
    return tr("valeur inconnue (vouliez-vous dire « {} » ?)",
              "unknown value (did you mean « {} »?)", *m);
  }
  return tr("valeur inconnue (attendu : {})", "unknown value (expected: {})", enum_choices(e));
}

// The texts of a set-of-texts cell: split at every ", " (untrimmed, empty ones kept).
void split_texts(std::string_view cell, std::vector<std::string_view>& pieces) {
  constexpr std::string_view kSeparator = ", ";
  pieces.clear();
  for (std::size_t start = 0;;) {
    const std::size_t pos = cell.find(kSeparator, start);
    pieces.push_back(cell.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) return;
    start = pos + kSeparator.size();
  }
}

// Why an integer cell was refused (only called on failure): a well-formed integer
// that does not fit in 64 bits is too large, not unreadable.
std::string integer_reason(std::string_view value) {
  std::string shape(value);
  std::replace_if(
      shape.begin(), shape.end(), [](char c) { return c >= '1' && c <= '9'; }, '0');
  if (text::parse_integer(shape)) {
    return tr("nombre trop grand (au plus 9 223 372 036 854 775 807)",
              "number too large (at most 9,223,372,036,854,775,807)");
  }
  return tr("nombre entier illisible", "unreadable whole number");
}

// Why a date cell was refused (only called on failure): a date written in one of the
// accepted forms whose month or day does not exist is said so, not « illisible ».
std::string date_reason(std::string_view value) {
  const std::string_view s = text::trim(value);
  const auto digits = [&](std::size_t at, std::size_t n) -> std::optional<unsigned> {
    unsigned v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + static_cast<unsigned>(s[i] - '0');
    }
    return v;
  };
  std::optional<unsigned> year, month, day;
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  } else if (s.size() == 10 && s[2] == '/' && s[5] == '/') {
    day = digits(0, 2), month = digits(3, 2), year = digits(6, 4);
  }
  if (!year || !month || !day) {
    return tr("date illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)",
              "unreadable date (expected YYYY-MM-DD or DD/MM/YYYY)");
  }
  if (*month < 1 || *month > 12) {
    return tr("cette date n'existe pas : il n'y a pas de mois {:02}",
              "this date does not exist: there is no month {:02}", *month);
  }
  static constexpr const char* kMonthsFr[] = {"janvier",   "février", "mars",     "avril",
                                              "mai",       "juin",    "juillet",  "août",
                                              "septembre", "octobre", "novembre", "décembre"};
  static constexpr const char* kMonthsEn[] = {"January",   "February", "March",    "April",
                                              "May",       "June",     "July",     "August",
                                              "September", "October",  "November", "December"};
  const unsigned y = *year;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const unsigned last = kDays[*month - 1] + (*month == 2 && leap ? 1 : 0);
  if (*day == 0) {
    return tr("cette date n'existe pas : il n'y a pas de jour 00",
              "this date does not exist: there is no day 00");
  }
  if (*day <= last) {
    return tr("date illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)",
              "unreadable date (expected YYYY-MM-DD or DD/MM/YYYY)");
  }
  return tr("cette date n'existe pas : {} {} n'a que {} jours",
            "this date does not exist: {} {} has only {} days",
            current_lang() == Lang::En ? kMonthsEn[*month - 1] : kMonthsFr[*month - 1], y, last);
}

// What Value::of_integer, of_date, of_bool and of_id make (present, size 0, the number
// zero-extended over the eight bytes), written at `to` as two words: one store fewer.
void put_number(char* to, std::uint64_t number) {
  static_assert(offsetof(Value, present) == 0 && offsetof(Value, size) == 4 &&
                offsetof(Value, integer) == 8 && sizeof(Value) == 16);
  const std::uint64_t present = 1;  // present true, size 0
  std::memcpy(to, &present, sizeof present);
  std::memcpy(to + 8, &number, sizeof number);
}

}  // namespace

bool integer_identifier(const graph::RuleGraph& graph) {
  return !graph.schema.fields.empty() && !graph.schema.fields[0].type.set &&
         graph.schema.fields[0].type.base == Base::Integer;
}

void append_identifier_key(std::string& out, const graph::RuleGraph& graph,
                           const runtime::Record& record) {
  if (integer_identifier(graph) && record.fields[0].present) {
    // 8 bytes; the only other key such a campaign can have is an empty cell's: none.
    const std::int64_t id = record.fields[0].integer;
    out.append(reinterpret_cast<const char*>(&id), sizeof id);
    return;
  }
  if (!record.raw.empty()) out += text::trim(record.raw[0]);
}

bool append_identifier_key(std::string& out, const graph::RuleGraph& graph, std::string_view cell) {
  const std::string_view trimmed = text::trim(cell);
  if (integer_identifier(graph)) {
    const auto id = text::parse_integer(trimmed);
    if (!id) return false;
    const std::int64_t value = *id;
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
    return true;
  }
  out += trimmed;
  return !trimmed.empty();
}

std::string duplicate_identifier_reason(std::string_view id, std::size_t first_line) {
  if (first_line == 0) {
    return tr("identifiant « {} » déjà présent plus haut dans le fichier",
              "identifier « {} » already used higher up in the file", id);
  }
  return tr("identifiant « {} » déjà présent ligne {} : un dossier par identifiant",
            "identifier « {} » already used on line {}: one dossier per identifier", id,
            first_line);
}

RecordDecoder::RecordDecoder(const graph::RuleGraph& graph)
    : graph_(graph),
      plan_(graph.schema.fields.size() + 1),
      enum_cache_(graph.enums.size()),
      set_words_(graph.schema.fields.size()),
      text_sets_(graph.schema.fields.size()) {
  plan_.back().usual = Usual::End;
  for (const auto& table : graph.tables) label_caches_.emplace_back(table);
  for (std::size_t f = 0; f < graph.schema.fields.size(); ++f) {
    const graph::Type& type = graph.schema.fields[f].type;
    std::size_t members = 0;
    if (type.set && type.base == Base::Row) members = graph.tables[type.ref].rows.size();
    if (type.set && type.base == Base::Enum) members = graph.enums[type.ref].values.size();
    set_cells_.emplace_back(graph::words_for(members));
    // Sized once: a cell cleared in place (assign() called memset for a word or two).
    set_words_[f].assign(graph::words_for(members), 0);
  }
  for (const graph::Field& field : graph.schema.fields) {
    if (!field.type.set && field.type.base == Base::Date && date_slots_ == nullptr) {
      date_slots_ = std::make_unique<DateSlot[]>(std::size_t{1} << kDateSlotBits);
      static_assert(date_slot(0) == 0 && date_slot(1) != 0);
      date_slots_[0].tail = 1;  // a tail of slot date_slot(1): slot 0 holds no cell yet
    }
  }
  for (const graph::Enum& e : graph.enums) {
    std::vector<std::pair<std::string, std::uint32_t>> spellings;
    std::size_t longest = 1;
    for (std::uint32_t id = 0; id < e.values.size(); ++id) {
      const graph::EnumValue& v = e.values[id];
      std::vector<std::string_view> texts{v.name, v.label};
      texts.insert(texts.end(), v.aliases.begin(), v.aliases.end());
      texts.push_back(v.code);
      for (const std::string_view text : texts)
        longest = std::max(longest, text::count_choices(text));
      for (const std::string_view text : texts) {
        // Only what the normalised lookup gives this value (and trimming leaves as is).
        const auto it = e.by_label.find(text::normalize_label(text));
        if (text.empty() || text::trim(text) != text || it == e.by_label.end() ||
            it->second != id) {
          continue;
        }
        spellings.emplace_back(text, id);
      }
    }
    spellings_.emplace_back(spellings);
    longest_choice_pieces_.push_back(longest);
  }
}

namespace {

// A row of `fields` when the header has `expected`: what is wrong and what to do.
std::string field_count_reason(const std::vector<std::string_view>& fields, std::size_t expected) {
  const std::size_t n = fields.size();
  if (n < expected) {
    return tr(
        "{} champ(s) au lieu des {} de l'en-tête : la ligne est coupée ou des champs "
        "manquent ; corrigez-la dans l'export",
        "{} field(s) instead of the header's {}: the row is cut or fields are missing; "
        "correct it in the export",
        n, expected);
  }
  const bool extra_empty =
      std::all_of(fields.begin() + static_cast<std::ptrdiff_t>(expected), fields.end(),
                  [](std::string_view f) { return text::trim(f).empty(); });
  if (extra_empty) {
    return tr(
        "{} champ(s) au lieu des {} de l'en-tête : la ligne finit par {} séparateur(s) en "
        "trop (souvent ajouté(s) par un tableur) ; supprimez-le(s) en fin de ligne",
        "{} field(s) instead of the header's {}: the row ends with {} separator(s) too "
        "many (often added by a spreadsheet); remove them at the end of the row",
        n, expected, n - expected);
  }
  return tr(
      "{} champ(s) au lieu des {} de l'en-tête : un texte contient sans doute le "
      "séparateur sans être entre guillemets ; mettez ce texte entre guillemets",
      "{} field(s) instead of the header's {}: a text probably holds the separator "
      "without being quoted; put that text between quotes",
      n, expected);
}

// Whether `header` reads like UTF-8 text decoded as Windows-1252 (« Ã‰tat », « DÃ©posÃ© »,
// « â€™ »): an « Ã » or « Â » followed by a non-ASCII character, or « â€ ».
bool looks_mis_decoded(const std::vector<std::string>& header) {
  return std::any_of(header.begin(), header.end(), [](const std::string& cell) {
    for (std::size_t i = 0; i + 2 < cell.size(); ++i) {
      const bool a_tilde_or_circumflex =
          cell[i] == '\xC3' && (cell[i + 1] == '\x83' || cell[i + 1] == '\x82');
      if (a_tilde_or_circumflex && static_cast<unsigned char>(cell[i + 2]) >= 0x80U) return true;
    }
    return cell.find("\xC3\xA2\xE2\x82\xAC") != std::string::npos;  // « â€ »
  });
}

}  // namespace

bool RecordDecoder::refuse_field_count(const std::vector<std::string_view>& fields,
                                       std::vector<FieldError>& errors) const {
  errors.push_back({"", "", field_count_reason(fields, header_size_)});
  return false;
}

RecordDecoder::Usual RecordDecoder::usual_reading(const graph::Type& type) {
  if (type.set) {
    if (type.base == Base::Row) return Usual::KnownRows;
    return type.base == Base::Enum ? Usual::KnownValues : Usual::General;
  }
  switch (type.base) {
    case Base::Text:
      return Usual::Text;
    case Base::Integer:
      return Usual::Integer;
    case Base::Date:
      return Usual::Date;
    case Base::Boolean:
      return Usual::Boolean;
    case Base::Enum:
      return Usual::Enum;
    default:
      return Usual::General;
  }
}

std::vector<std::string> RecordDecoder::bind(const std::vector<std::string>& header) {
  std::vector<std::string> missing;
  header_size_ = header.size();
  planned_cells_ = &kNoCells;  // decode() sets the readings and cells from the plan made here
  planned_end_ = nullptr;
  std::vector<std::string> normalised;
  for (const auto& h : header) normalised.push_back(text::normalize_label(h));
  for (std::size_t f = 0; f < graph_.schema.fields.size(); ++f) {
    const auto& field = graph_.schema.fields[f];
    const std::string want = text::normalize_label(field.column);
    std::size_t found = header.size();
    for (std::size_t i = 0; i < header.size() && found == header.size(); ++i) {
      if (header[i] == field.column) found = i;  // exact spelling first
    }
    for (std::size_t i = 0; i < header.size() && found == header.size(); ++i) {
      if (normalised[i] == want) found = i;  // then case, accents and spaces ignored
    }
    FieldPlan& plan = plan_[f];
    plan.column = static_cast<std::uint32_t>(found);
    plan.field = static_cast<std::uint32_t>(f);
    plan.ref = field.type.ref;
    plan.usual = usual_reading(field.type);
    plan.base = field.type.base;
    plan.optional = field.type.optional;
    plan.table = nullptr;
    plan.spellings = {};
    if (plan.usual == Usual::Enum) plan.spellings = spellings_[field.type.ref].probe();
    if (plan.usual == Usual::KnownRows || plan.usual == Usual::KnownValues)
      plan.table = &set_cells_[f];
    if (plan.usual == Usual::Date) plan.table = date_slots_.get();
    // The same column twice: which one holds the dossier's value would be a guess.
    for (std::size_t i = found + 1; i < header.size(); ++i) {
      if (found < header.size() && normalised[i] == want) {
        missing.push_back(
            fmt::format("colonne « {} » présente deux fois dans l'en-tête (colonnes {} et {})",
                        field.column, found + 1, i + 1));
      }
    }
  }
  // Missing columns, said first. A column the header has is only suggested when no
  // field binds it: another field's column is no misspelling of this one.
  std::vector<bool> bound(header.size(), false);
  for (std::size_t f = 0; f < graph_.schema.fields.size(); ++f)
    if (column_of(f) < header.size()) bound[column_of(f)] = true;
  std::vector<std::string> unbound;
  for (std::size_t i = 0; i < header.size(); ++i)
    if (!bound[i]) unbound.push_back(header[i]);
  std::vector<std::string> absent;
  for (std::size_t f = 0; f < graph_.schema.fields.size(); ++f) {
    if (column_of(f) < header.size()) continue;
    const auto& field = graph_.schema.fields[f];
    std::string message =
        tr("colonne obligatoire « {} » absente de l'en-tête (champ {})",
           "required column '{}' missing from the header (field {})", field.column, field.name);
    if (auto m = text::closest_match(field.column, unbound)) {
      message += tr(" ; colonne la plus proche : « {} »", "; closest column: '{}'", *m);
    }
    absent.push_back(std::move(message));
  }
  missing.insert(missing.begin(), absent.begin(), absent.end());
  // Said first: it is what to fix, and it explains the columns said missing.
  if (!missing.empty() && looks_mis_decoded(header)) {
    missing.insert(missing.begin(),
                   tr("l'en-tête semble mal décodé (« Ã‰ », « Ã© »…) : le fichier semble être "
                      "en UTF-8 : relancez avec --encoding utf-8",
                      "the header seems wrongly decoded ('Ã‰', 'Ã©'…): the file seems to be in "
                      "UTF-8: run again with --encoding utf-8"));
  }
  return missing;
}

void RecordDecoder::keep_cells(const std::vector<std::size_t>& fields, bool every) {
  for (std::size_t f = 0; f + 1 < plan_.size(); ++f)
    plan_[f].keep = every || f == 0 || std::find(fields.begin(), fields.end(), f) != fields.end();
  planned_cells_ = &kNoCells;  // the readings chosen again (plan_cells)
  planned_end_ = nullptr;
}

bool RecordDecoder::plan_cells(const std::vector<std::string_view>& cells,
                               const void* const* readings, const void* const* kept_readings) {
  if (cells.size() != header_size_) return false;
  planned_cells_ = cells.data();
  planned_end_ = cells.data() + cells.size();
  for (FieldPlan& p : plan_) {
    p.reading = (p.keep ? kept_readings : readings)[static_cast<std::size_t>(p.usual)];
    p.cell = planned_cells_ + p.column;  // End's column is 0: its cell is not read
  }
  return true;
}

std::uint32_t RecordDecoder::enum_value_otherwise(std::uint32_t enum_index, std::string_view text) {
  auto& cache = enum_cache_[enum_index];
  const std::uint64_t hash = cache.hash(text);
  if (const auto* known = cache.find(text, hash)) return *known;
  const graph::Enum& e = graph_.enums[enum_index];
  std::uint32_t id = kNoEnumValue;
  if (auto it = e.by_label.find(text::normalize_label(text)); it != e.by_label.end())
    id = it->second;
  if (cache.size() < kCacheLimit) cache.insert(text, hash, id);
  return id;
}

std::uint32_t RecordDecoder::table_row(std::uint32_t table, std::string_view text) const {
  const graph::Table& t = graph_.tables[table];
  const auto it = t.by_label.find(text::normalize_label(text));
  return it != t.by_label.end() && it->second.size() == 1 ? it->second[0] : kNoEnumValue;
}

// Why a cell was refused, recorded (the cold path: the messages are formatted here,
// out of the way of the fields that read well).
[[gnu::cold, gnu::noinline]] bool RecordDecoder::refuse(std::size_t f, std::string_view raw,
                                                        std::vector<FieldError>& errors) const {
  const graph::Field& field = graph_.schema.fields[f];
  const graph::Type& type = field.type;
  const std::string_view value = text::trim(raw);
  std::string reason;
  if (value.empty()) {
    reason = tr("valeur obligatoire manquante", "required value missing");
  } else {
    switch (type.base) {
      case Base::Integer:
        reason = integer_reason(value);
        break;
      case Base::Decimal:
        reason = tr("nombre illisible (attendu par exemple 1234.56 ou 1 234,56)",
                    "unreadable number (expected for example 1234.56 or 1 234,56)");
        break;
      case Base::Date:
        reason = date_reason(value);
        break;
      case Base::Boolean:
        reason =
            tr("réponse illisible (attendu Oui ou Non)", "unreadable answer (expected Oui or Non)");
        break;
      case Base::Enum:
        reason = unknown_enum_reason(graph_.enums[type.ref], value);
        break;
      case Base::Row: {
        const graph::Table& t = graph_.tables[type.ref];
        reason =
            t.by_label.count(text::normalize_label(value)) != 0
                ? tr("libellé ambigu : désigne plusieurs lignes de {}",
                     "ambiguous label: names several rows of {}", t.name)
                : tr("libellé inconnu de la table {}", "label unknown to the table {}", t.name);
        break;
      }
      default:
        reason = tr("type non pris en charge", "type not supported");
        break;
    }
  }
  errors.push_back({field.column, std::string(raw), std::move(reason)});
  return false;
}

// The general way, for every cell the usual path did not read.
bool RecordDecoder::decode_field(std::size_t f, const FieldPlan& plan, std::string_view raw,
                                 Value& out, runtime::Record& record,
                                 std::vector<FieldError>& errors) {
  // A set cell the usual path did not find in set_cells_: decoded, and kept.
  if (plan.usual == Usual::KnownRows || plan.usual == Usual::KnownValues)
    return decode_set_and_keep(f, raw, SetCellCache::hash(raw), record, errors);
  if (graph_.schema.fields[f].type.set) return decode_set_now(f, raw, record, errors);
  const std::string_view value = text::trim(raw);
  if (value.empty()) {
    out = Value::missing();
    return plan.optional || refuse(f, raw, errors);
  }
  switch (plan.base) {
    case Base::Text:
      out = Value::of_text(value);
      return true;
    case Base::Integer:
      if (auto v = text::parse_integer(value)) {
        out = Value::of_integer(*v);
        return true;
      }
      break;
    case Base::Decimal:
      if (auto v = text::parse_decimal(value)) {
        out = Value::of_decimal(*v);
        return true;
      }
      break;
    case Base::Date:
      if (auto v = text::parse_date(value)) {
        out = Value::of_date(*v);
        return true;
      }
      break;
    case Base::Boolean:
      if (auto v = parse_boolean(value)) {
        out = Value::of_bool(*v);
        return true;
      }
      break;
    case Base::Enum:
      if (const auto id = enum_value(plan.ref, value); id != kNoEnumValue) {
        out = Value::of_id(id);
        return true;
      }
      break;
    case Base::Row:
      if (const auto row = table_row(plan.ref, value); row != kNoEnumValue) {
        out = Value::of_id(row);
        return true;
      }
      break;
    case Base::Error:
      break;
  }
  return refuse(f, raw, errors);
}

bool RecordDecoder::decode_set_and_keep(std::size_t f, std::string_view raw, std::uint64_t hash,
                                        runtime::Record& record, std::vector<FieldError>& errors) {
  // Only cells that decode without error are kept: the others say why each time.
  if (!decode_set_now(f, raw, record, errors)) return false;
  // Only sets of table rows have labels naming nothing (an unknown enumeration value
  // is an error).
  static const std::vector<std::string_view> kNone;
  set_cells_[f].insert(raw, hash, set_words_[f].data(),
                       plan_[f].base == Base::Row ? record.unknown_labels[f] : kNone);
  return true;
}

// A set: of table rows (lever labels), of enumeration values, or of texts.
bool RecordDecoder::decode_set_now(std::size_t f, std::string_view raw, runtime::Record& record,
                                   std::vector<FieldError>& errors) {
  const graph::Field& field = graph_.schema.fields[f];
  const graph::Type& type = field.type;
  Value& out = record.fields[f];
  if (type.base == Base::Row) {
    // Labels through the table's cache of runs (a few dozen lever names, hot in the
    // processor's cache): cheaper than remembering whole cells, which vary a lot.
    auto& unknown = record.unknown_labels[f];  // only these fields have unknown labels
    unknown.clear();
    auto& words = set_words_[f];
    label_caches_[type.ref].add_rows(raw, cleared(words), unknown);  // views into the row's cell
    out = Value::of_words(words.data(), static_cast<std::uint32_t>(words.size()));
    return true;
  }
  const bool empty = text::trim(raw).empty();
  if (type.base == Base::Enum) {
    const graph::Enum& e = graph_.enums[type.ref];
    auto& words = set_words_[f];
    cleared(words);
    bool ok = true;
    if (!empty) {
      text::split_choices(raw, pieces_);
      for (std::size_t i = 0; i < pieces_.size();) {
        if (pieces_[i].empty()) {
          ++i;
          continue;
        }
        // The longest run of pieces from this one that names a value, as for table rows
        // (io::LabelCache): a label may itself hold a separator.
        std::uint32_t id = kNoEnumValue;
        std::size_t j = std::min(pieces_.size(), i + longest_choice_pieces_[type.ref]);
        for (; j > i; --j) {
          id = enum_value(type.ref, text::choice_run(raw, pieces_, i, j));
          if (id != kNoEnumValue) break;
        }
        if (id == kNoEnumValue) {
          const std::string_view piece = pieces_[i];
          // The value is the whole cell: named again only when it is one of several.
          errors.push_back({field.column, std::string(raw),
                            piece == text::trim(raw) ? unknown_enum_reason(e, piece)
                                                     : fmt::format("« {} » : {}", piece,
                                                                   unknown_enum_reason(e, piece))});
          ok = false;
          ++i;
          continue;
        }
        words[id / 64] |= std::uint64_t{1} << (id % 64);
        i = j;
      }
    }
    out = Value::of_words(words.data(), static_cast<std::uint32_t>(words.size()));
    return ok;
  }
  auto& texts = text_sets_[f];
  texts.clear();
  if (!empty) {
    // Texts are no closed list to find runs in: only the export's own separator splits them.
    split_texts(raw, pieces_);
    for (auto piece : pieces_) {
      piece = text::trim(piece);
      if (!piece.empty()) texts.push_back(piece);
    }
  }
  out = Value::of_texts(texts.data(), static_cast<std::uint32_t>(texts.size()));
  return true;
}

bool RecordDecoder::decode(const CsvRecord& row, runtime::Record& record,
                           std::vector<FieldError>& errors) {
  // Each field's usual reading reached through its label's address (a GNU extension),
  // kept in its plan: the switch's table of offsets cost 3 instructions a field more to
  // reach the same code, and a table of addresses indexed by Usual 2 more (measured).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
  static const void* const kReadings[] = {&&text,         &&integer,     &&date,
                                          &&boolean,      &&enumeration, &&known_rows,
                                          &&known_values, &&general,     &&end};
  // The same readings for a field whose cell is kept in record.raw: the cell copied there
  // first.
  static const void* const kKeptReadings[] = {
      &&kept_text,       &&kept_integer,      &&kept_date,    &&kept_boolean, &&kept_enumeration,
      &&kept_known_rows, &&kept_known_values, &&kept_general, &&end};
  static constexpr Usual kListed[] = {Usual::Text,        Usual::Integer, Usual::Date,
                                      Usual::Boolean,     Usual::Enum,    Usual::KnownRows,
                                      Usual::KnownValues, Usual::General, Usual::End};
  static_assert(std::size(kReadings) == std::size(kListed) &&
                    std::size(kKeptReadings) == std::size(kListed) &&
                    in_enum_order(kListed, Usual::End),
                "kReadings lists a reading per Usual, in Usual's order");
  // The labels are known here only; a row's cells are most often where the last row's
  // were, and end where they ended: then the row has the header's field count, with no
  // count made (two pointers compared, its size in fields not made from them).
  if (row.fields.data() != planned_cells_ || row.fields.data() + row.fields.size() != planned_end_)
      [[unlikely]] {
    if (!plan_cells(row.fields, kReadings, kKeptReadings)) [[unlikely]]
      return refuse_field_count(row.fields, errors);
  }
  // The record's values walked by the address of the field's, `at`, to the plan's End; the
  // field's plan at `plan + 4 * at` and its kept cell (record.raw) at `raws + at`, `plan`
  // and `raws` less the values' address: one register steps through all three, and a
  // value is stored at `at` itself, where the values' address plus an offset was first
  // made into a register at each field (decode 591.4 -> 574.6 instructions a dossier,
  // measured). Also kept in `context`, in memory, and read back from it after each
  // call, so that no register has to hold them across calls: GCC kept two of them on the
  // stack and read them on every field, 4 instructions a field (measured).
  // Field by field: as an aggregate, GCC also zeroed its padding and stored `at` (3,014 ->
  // 3,011 instructions a dossier, measured); `at` is stored before each call.
  RowContext context;
  context.decoder = this;
  context.record = &record;
  context.errors = &errors;
  context.ok = true;
  static_assert(sizeof(std::string_view) == 16 && sizeof(Value) == 16 &&
                sizeof(FieldPlan) == 4 * sizeof(Value));
  std::uintptr_t at = reinterpret_cast<std::uintptr_t>(record.fields.data());
  context.plan = reinterpret_cast<std::uintptr_t>(plan_.data()) - 4 * at;
  context.raws = reinterpret_cast<std::uintptr_t>(record.raw.data()) - at;
  std::uintptr_t plan = context.plan;
  std::string_view raw;
  const auto field_plan = [&]() -> const FieldPlan& {
    return *reinterpret_cast<const FieldPlan*>(plan + 4 * at);
  };
  const auto value = [&]() -> Value& { return *reinterpret_cast<Value*>(at); };
  // A member of the field's plan, read by the hot paths. On x86-64 through one addressing
  // mode of `plan` and `at`, in an asm GCC cannot merge with the field's other reads: it
  // made the plan's address into a register first at every field (one instruction a
  // field), to have it at the joins of the rare paths. (The plan does not change while
  // decode() walks it: the asm declares no memory read.)
#if defined(__x86_64__)
#define TAMIS_PLAN_MEMBER(member)                                                       \
  ([&] {                                                                                \
    static_assert(sizeof(FieldPlan::member) == 8 || sizeof(FieldPlan::member) == 4 ||   \
                  sizeof(FieldPlan::member) == 1);                                      \
    std::uint64_t word;                                                                 \
    if constexpr (sizeof(FieldPlan::member) == 8) {                                     \
      asm("movq %c[offset](%[plan],%[at],4), %[word]"                                   \
          : [word] "=r"(word)                                                           \
          : [plan] "r"(plan), [at] "r"(at), [offset] "i"(offsetof(FieldPlan, member))); \
    } else if constexpr (sizeof(FieldPlan::member) == 4) {                              \
      asm("movl %c[offset](%[plan],%[at],4), %k[word]"                                  \
          : [word] "=r"(word)                                                           \
          : [plan] "r"(plan), [at] "r"(at), [offset] "i"(offsetof(FieldPlan, member))); \
    } else {                                                                            \
      asm("movzbl %c[offset](%[plan],%[at],4), %k[word]"                                \
          : [word] "=r"(word)                                                           \
          : [plan] "r"(plan), [at] "r"(at), [offset] "i"(offsetof(FieldPlan, member))); \
    }                                                                                   \
    std::remove_cv_t<decltype(FieldPlan::member)> member_value;                         \
    std::memcpy(&member_value, &word, sizeof member_value);                             \
    return member_value;                                                                \
  }())
  // A 32-bit member as an index: movl has zeroed the word's upper half (GCC zeroed it
  // again from the member's type).
#define TAMIS_PLAN_INDEX(member)                                                      \
  ([&] {                                                                              \
    static_assert(sizeof(FieldPlan::member) == 4);                                    \
    std::uint64_t word;                                                               \
    asm("movl %c[offset](%[plan],%[at],4), %k[word]"                                  \
        : [word] "=r"(word)                                                           \
        : [plan] "r"(plan), [at] "r"(at), [offset] "i"(offsetof(FieldPlan, member))); \
    return word;                                                                      \
  }())
  // A 64-bit member times `factor`, multiplied from the plan.
#define TAMIS_PLAN_TIMES(member, factor)                                            \
  ([&] {                                                                            \
    static_assert(sizeof(FieldPlan::member) == 8);                                  \
    std::uint64_t product = (factor);                                               \
    asm("imulq %c[offset](%[plan],%[at],4), %[product]"                             \
        : [product] "+r"(product)                                                   \
        : [plan] "r"(plan), [at] "r"(at), [offset] "i"(offsetof(FieldPlan, member)) \
        : "cc");                                                                    \
    return product;                                                                 \
  }())
#else
#define TAMIS_PLAN_TIMES(member, factor) (field_plan().member * (factor))
#define TAMIS_PLAN_MEMBER(member) (field_plan().member)
#define TAMIS_PLAN_INDEX(member) static_cast<std::uint64_t>(field_plan().member)
#endif
  const auto cell_of = [&] { return TAMIS_PLAN_MEMBER(cell); };
#define TAMIS_TAKE_CELL() raw = *cell_of()
  // A kept field's cell, kept in the record as read before its reading, copied as 16
  // bytes, one load and one store (with put_number's two stores: decode 736 -> 715
  // instructions a dossier, measured). `raws` from memory: no register holds it for the
  // few fields whose cell is kept.
#define TAMIS_KEEP_CELL()                                                    \
  std::memcpy(reinterpret_cast<char*>(context.raws + at), field_plan().cell, \
              sizeof(std::string_view))
  // The offset hidden from the compiler after each step: else it walks three pointers
  // and keeps copies of them (measured).
#define TAMIS_NEXT_FIELD() \
  at += sizeof(Value);     \
  asm("" : "+r"(at));      \
  goto* field_plan().reading
  // Around a call: the loop's state through memory.
#define TAMIS_BEFORE_CALL() context.at = at
#define TAMIS_AFTER_CALL() \
  plan = context.plan;     \
  at = context.at
  // The first reading by one addressing mode too: through field_plan(), GCC made the
  // plan's address again into a register for it (2,077.4 -> 2,076.4 instructions per
  // dossier, measured; the plan's address kept made for the record's values, not made a
  // row, gained nothing more).
  goto* TAMIS_PLAN_MEMBER(reading);
kept_text:
  TAMIS_KEEP_CELL();
text:
  TAMIS_TAKE_CELL();
  // A text with spaces at its ends is trimmed by decode_field (out of line: a call).
  if (!raw.empty() && (text::detail::kTrimEdge[static_cast<unsigned char>(raw.front())] |
                       text::detail::kTrimEdge[static_cast<unsigned char>(raw.back())]) == 0) {
    value() = Value::of_text(raw);
    TAMIS_NEXT_FIELD();
  }
  goto missing;
kept_integer:
  TAMIS_KEEP_CELL();
integer:
  TAMIS_TAKE_CELL();
  if (const auto v = text::parse_exported_integer(raw)) {
    put_number(reinterpret_cast<char*>(at), static_cast<std::uint64_t>(*v));
    TAMIS_NEXT_FIELD();
  }
  goto missing;
kept_date:
  TAMIS_KEEP_CELL();
date:
  TAMIS_TAKE_CELL();
  if (raw.size() == 10) {
    // Met before (DateSlot), or read and kept in its slot.
    const auto tail = load_word<std::uint64_t>(raw.data() + 2);
    const auto head = load_word<std::uint16_t>(raw.data());
    DateSlot& slot = static_cast<DateSlot*>(TAMIS_PLAN_MEMBER(table))[date_slot(tail)];
    if (slot.tail == tail && slot.head == head) {
      put_number(reinterpret_cast<char*>(at), slot.days);
      TAMIS_NEXT_FIELD();
    }
    // Read out of line, and its slot found again after the call: read inline, the date
    // kept three registers more (saved and restored on every row), and its slot's address
    // kept through the call two more (2,150.8 -> 2,148.4 instructions per dossier, measured).
    TAMIS_BEFORE_CALL();
    const std::uint64_t days = exported_days(raw.data());
    TAMIS_AFTER_CALL();
    TAMIS_TAKE_CELL();
    if (days != kNoDate) {
      const auto again = load_word<std::uint64_t>(raw.data() + 2);
      DateSlot& empty = static_cast<DateSlot*>(TAMIS_PLAN_MEMBER(table))[date_slot(again)];
      empty = {again, load_word<std::uint16_t>(raw.data()), static_cast<std::uint32_t>(days)};
      put_number(reinterpret_cast<char*>(at), empty.days);
      TAMIS_NEXT_FIELD();
    }
    goto general_read;  // ten bytes: not empty
  }
  goto missing;
kept_boolean:
  TAMIS_KEEP_CELL();
boolean:
  TAMIS_TAKE_CELL();
  // The first comparison's answer is the value: testing raw[0] again after them cost about
  // 2 instructions a boolean (decode 535.3 -> 530.4 a dossier, measured).
  if (const bool yes = raw == "Oui"; yes || raw == "Non") {
    put_number(reinterpret_cast<char*>(at), yes);
    TAMIS_NEXT_FIELD();
  }
  goto missing;
kept_enumeration:
  TAMIS_KEEP_CELL();
enumeration:
  TAMIS_TAKE_CELL();
  // The fingerprint multiplied by the plan's multiplier where it is (an imul from memory,
  // not a load and an imul: 2,080.6 -> 2,077.4 instructions per dossier, measured).
  if (const std::uint64_t id = ExactSpellings::find_wide(
          TAMIS_PLAN_MEMBER(spellings.slots), TAMIS_PLAN_MEMBER(spellings.shift),
          [&](std::uint64_t fingerprint) {
            return TAMIS_PLAN_TIMES(spellings.multiplier, fingerprint);
          },
          raw);
      id != kNoEnumValue) {
    put_number(reinterpret_cast<char*>(at), id);
    TAMIS_NEXT_FIELD();
  }
  goto missing;
kept_known_rows:
  TAMIS_KEEP_CELL();
known_rows:
  TAMIS_TAKE_CELL();
  {
    const SetCellCache& cache = *static_cast<const SetCellCache*>(TAMIS_PLAN_MEMBER(table));
    const std::uint64_t hash = SetCellCache::hash(raw);
    SetCellCache::Entry known;
    if (cache.find_at_home(raw, hash, known)) {
      // The set as kept: valid as long as the cache.
      value() = Value::of_words(known.words, static_cast<std::uint32_t>(cache.words()));
      // Through the record: their address kept in `context` cost a load and a store a row
      // for a load a cell here (decode 536.5 -> 535.3 instructions a dossier, measured).
      std::vector<std::string_view>& unknown =
          context.record->unknown_labels[TAMIS_PLAN_INDEX(field)];
      unknown.clear();
      if (known.unknown_count != 0) {
        TAMIS_BEFORE_CALL();
        keep_unknown(raw, known.unknown, known.unknown_count, unknown);
        TAMIS_AFTER_CALL();
      }
      TAMIS_NEXT_FIELD();
    }
    // Found further, or decoded and kept, with the hash made here: through decode_field,
    // which made it again, 18 instructions a dossier more (measured).
    TAMIS_BEFORE_CALL();
    read_rows_further(context, field_plan(), raw, hash);
    TAMIS_AFTER_CALL();
    TAMIS_NEXT_FIELD();
  }
kept_known_values:
  TAMIS_KEEP_CELL();
known_values:
  TAMIS_TAKE_CELL();
  {
    // A set of enumeration values has no labels naming nothing: unknown_labels untouched.
    const SetCellCache& cache = *static_cast<const SetCellCache*>(TAMIS_PLAN_MEMBER(table));
    const std::uint64_t hash = SetCellCache::hash(raw);
    SetCellCache::Entry known;
    if (cache.find_at_home(raw, hash, known)) {
      value() = Value::of_words(known.words, static_cast<std::uint32_t>(cache.words()));
      TAMIS_NEXT_FIELD();
    }
    TAMIS_BEFORE_CALL();
    read_values_further(context, field_plan(), raw, hash);
    TAMIS_AFTER_CALL();
    TAMIS_NEXT_FIELD();
  }
missing:
  // An empty cell of an optional field, found only once the usual shape is not there.
  if (raw.empty() && TAMIS_PLAN_MEMBER(optional)) {
    value() = Value::missing();
    TAMIS_NEXT_FIELD();
  }
  goto general_read;
kept_general:
  TAMIS_KEEP_CELL();
general:
  TAMIS_TAKE_CELL();
general_read:
  TAMIS_BEFORE_CALL();
  read_generally(context, field_plan(), raw, value());
  TAMIS_AFTER_CALL();
  TAMIS_NEXT_FIELD();
end:
#undef TAMIS_AFTER_CALL
#undef TAMIS_BEFORE_CALL
#undef TAMIS_NEXT_FIELD
#undef TAMIS_KEEP_CELL
#undef TAMIS_TAKE_CELL
#undef TAMIS_PLAN_MEMBER
#undef TAMIS_PLAN_INDEX
#undef TAMIS_PLAN_TIMES
#pragma GCC diagnostic pop
  return context.ok;
}

void RecordDecoder::keep_unknown(std::string_view raw, const SetCellCache::Place* places,
                                 std::uint32_t count, std::vector<std::string_view>& unknown) {
  for (std::uint32_t i = 0; i < count; ++i)
    unknown.push_back(raw.substr(places[i].offset, places[i].size));
}

void RecordDecoder::read_generally(RowContext& context, const FieldPlan& plan, std::string_view raw,
                                   Value& out) {
  context.ok =
      context.decoder->decode_field(plan.field, plan, raw, out, *context.record, *context.errors) &&
      context.ok;
}

std::uint64_t RecordDecoder::exported_days(const char* cell) {
  const auto v = text::parse_exported_date({cell, 10});
  return v ? std::uint64_t{static_cast<std::uint32_t>(*v)} : kNoDate;
}

std::uint64_t* RecordDecoder::cleared(std::vector<std::uint64_t>& words) {
  if (words.empty()) return words.data();
  words[0] = 0;
  std::fill(words.begin() + 1, words.end(), 0);
  return words.data();
}

// decode_set_and_keep's work for a set of table rows, the field's kind known from the
// plan: through it (decode_set_now, its tests of the kind, std::fill's memset call),
// 3,042 -> 3,030 instructions a dossier (measured).
inline void RecordDecoder::read_new_rows(RowContext& context, const FieldPlan& plan,
                                         std::string_view raw, std::uint64_t hash) {
  RecordDecoder& decoder = *context.decoder;
  const std::size_t f = plan.field;
  std::vector<std::string_view>& unknown = context.record->unknown_labels[f];
  unknown.clear();
  std::vector<std::uint64_t>& words = decoder.set_words_[f];
  decoder.label_caches_[plan.ref].add_rows(raw, cleared(words), unknown);
  context.record->fields[f] =
      Value::of_words(words.data(), static_cast<std::uint32_t>(words.size()));
  decoder.set_cells_[f].insert(raw, hash, words.data(), unknown);
}

void RecordDecoder::read_rows_further(RowContext& context, const FieldPlan& plan,
                                      std::string_view raw, std::uint64_t hash) {
  const SetCellCache& cache = *static_cast<const SetCellCache*>(plan.table);
  SetCellCache::Entry known;
  if (!cache.find_further(raw, hash, known)) return read_new_rows(context, plan, raw, hash);
  context.record->fields[plan.field] =
      Value::of_words(known.words, static_cast<std::uint32_t>(cache.words()));
  std::vector<std::string_view>& unknown = context.record->unknown_labels[plan.field];
  unknown.clear();
  keep_unknown(raw, known.unknown, known.unknown_count, unknown);
}

void RecordDecoder::read_values_further(RowContext& context, const FieldPlan& plan,
                                        std::string_view raw, std::uint64_t hash) {
  const SetCellCache& cache = *static_cast<const SetCellCache*>(plan.table);
  SetCellCache::Entry known;
  if (!cache.find_further(raw, hash, known)) return read_new_set(context, plan, raw, hash);
  context.record->fields[plan.field] =
      Value::of_words(known.words, static_cast<std::uint32_t>(cache.words()));
}

void RecordDecoder::read_new_set(RowContext& context, const FieldPlan& plan, std::string_view raw,
                                 std::uint64_t hash) {
  context.ok = context.decoder->decode_set_and_keep(plan.field, raw, hash, *context.record,
                                                    *context.errors) &&
               context.ok;
}

}  // namespace tamis::io
