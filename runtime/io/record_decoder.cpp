#include "runtime/io/record_decoder.hpp"

#include <fmt/format.h>

#include "runtime/io/label_matcher.hpp"
#include "support/text.hpp"

namespace tamis::io {

using graph::Base;
using graph::Value;

namespace {

// Multiple-choice cells of Démarches-simplifiées exports join their choices with ", ".
constexpr std::string_view kChoiceSeparator = ", ";

std::vector<std::string_view> split_choices(std::string_view cell) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = cell.find(kChoiceSeparator, start);
    if (pos == std::string_view::npos) {
      pieces.push_back(cell.substr(start));
      return pieces;
    }
    pieces.push_back(cell.substr(start, pos - start));
    start = pos + kChoiceSeparator.size();
  }
}

std::optional<bool> parse_boolean(std::string_view s) {
  const std::string key = text::normalize_label(s);
  if (key == "oui" || key == "on" || key == "vrai" || key == "true" || key == "yes") return true;
  if (key == "non" || key == "off" || key == "faux" || key == "false" || key == "no") return false;
  return std::nullopt;
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
    return fmt::format("valeur inconnue pour {} (vouliez-vous dire « {} » ?)", e.name, *m);
  }
  return fmt::format("valeur inconnue pour {} (attendu : {})", e.name, enum_choices(e));
}

}  // namespace

RecordDecoder::RecordDecoder(const graph::RuleGraph& graph)
    : graph_(graph),
      positions_(graph.schema.fields.size(), 0),
      split_cache_(graph.tables.size()),
      enum_cache_(graph.enums.size()),
      set_words_(graph.schema.fields.size()),
      text_sets_(graph.schema.fields.size()) {}

std::vector<std::string> RecordDecoder::bind(const std::vector<std::string>& header) {
  std::vector<std::string> missing;
  header_size_ = header.size();
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
    if (found == header.size()) {
      std::string message = fmt::format(
          "colonne obligatoire « {} » absente de l'en-tête (champ {})", field.column, field.name);
      if (auto m = text::closest_match(field.column, header)) {
        message += fmt::format(" ; colonne la plus proche : « {} »", *m);
      }
      missing.push_back(std::move(message));
    }
    positions_[f] = found;
    // The same column twice: which one holds the dossier's value would be a guess.
    for (std::size_t i = found + 1; i < header.size(); ++i) {
      if (found < header.size() && normalised[i] == want) {
        missing.push_back(
            fmt::format("colonne « {} » présente deux fois dans l'en-tête (colonnes {} et {})",
                        field.column, found + 1, i + 1));
      }
    }
  }
  return missing;
}

const RecordDecoder::Split& RecordDecoder::split_rows(std::uint32_t table_index,
                                                      std::string_view cell) {
  auto& cache = split_cache_[table_index];
  if (auto it = cache.find(std::string(cell)); it != cache.end()) return it->second;

  const graph::Table& table = graph_.tables[table_index];
  Split split;
  split.words.assign(graph::words_for(table.rows.size()), 0);
  for (auto& m : match_labels(table, cell)) {
    if (m.rows.empty()) split.unknown.push_back(std::move(m.raw));
    for (auto row : m.rows) split.words[row / 64] |= std::uint64_t{1} << (row % 64);
  }
  return cache.emplace(std::string(cell), std::move(split)).first->second;
}

std::optional<std::uint32_t> RecordDecoder::enum_value(std::uint32_t enum_index,
                                                       std::string_view text) {
  auto& cache = enum_cache_[enum_index];
  if (auto it = cache.find(std::string(text)); it != cache.end()) return it->second;
  const graph::Enum& e = graph_.enums[enum_index];
  std::optional<std::uint32_t> id;
  if (auto it = e.by_label.find(text::normalize_label(text)); it != e.by_label.end())
    id = it->second;
  if (cache.size() < 10000)
    cache.emplace(std::string(text), id);  // bounded: a few spellings per value
  return id;
}

bool RecordDecoder::decode_field(std::size_t f, std::string_view raw, runtime::Record& record,
                                 std::vector<FieldError>& errors) {
  const graph::Field& field = graph_.schema.fields[f];
  const graph::Type& type = field.type;
  const std::string_view value = text::trim(raw);
  auto refuse = [&](std::string reason) {
    errors.push_back({field.column, std::string(raw), std::move(reason)});
    return false;
  };
  Value& out = record.fields[f];
  record.unknown_labels[f].clear();
  record.raw[f] = raw;

  if (type.set) {
    if (type.base == Base::Row) {
      const Split& split = split_rows(type.ref, raw);
      out = Value::of_words(split.words.data(), static_cast<std::uint32_t>(split.words.size()));
      for (const auto& label : split.unknown) record.unknown_labels[f].push_back(label);
      return true;
    }
    if (type.base == Base::Enum) {
      const graph::Enum& e = graph_.enums[type.ref];
      auto& words = set_words_[f];
      words.assign(graph::words_for(e.values.size()), 0);
      bool ok = true;
      if (!value.empty()) {
        for (auto piece : split_choices(raw)) {
          piece = text::trim(piece);
          if (piece.empty()) continue;
          const auto id = enum_value(type.ref, piece);
          if (!id) {
            errors.push_back({field.column, std::string(raw),
                              fmt::format("« {} » : {}", piece, unknown_enum_reason(e, piece))});
            ok = false;
            continue;
          }
          words[*id / 64] |= std::uint64_t{1} << (*id % 64);
        }
      }
      out = Value::of_words(words.data(), static_cast<std::uint32_t>(words.size()));
      return ok;
    }
    auto& texts = text_sets_[f];
    texts.clear();
    if (!value.empty()) {
      for (auto piece : split_choices(raw)) {
        piece = text::trim(piece);
        if (!piece.empty()) texts.push_back(piece);
      }
    }
    out = Value::of_texts(texts.data(), static_cast<std::uint32_t>(texts.size()));
    return true;
  }

  if (value.empty()) {
    out = Value::missing();
    if (type.optional) return true;
    return refuse("valeur obligatoire manquante");
  }
  switch (type.base) {
    case Base::Text:
      out = Value::of_text(value);
      return true;
    case Base::Integer:
      if (auto v = text::parse_integer(value)) {
        out = Value::of_integer(*v);
        return true;
      }
      return refuse("nombre entier illisible");
    case Base::Decimal:
      if (auto v = text::parse_decimal(value)) {
        out = Value::of_decimal(*v);
        return true;
      }
      return refuse("nombre illisible (attendu par exemple 1234.56 ou 1 234,56)");
    case Base::Date:
      if (auto v = text::parse_date(value)) {
        out = Value::of_date(*v);
        return true;
      }
      return refuse("date illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)");
    case Base::Boolean:
      if (auto v = parse_boolean(value)) {
        out = Value::of_bool(*v);
        return true;
      }
      return refuse("réponse illisible (attendu Oui ou Non)");
    case Base::Enum: {
      const graph::Enum& e = graph_.enums[type.ref];
      if (auto id = enum_value(type.ref, value)) {
        out = Value::of_id(*id);
        return true;
      }
      return refuse(unknown_enum_reason(e, value));
    }
    case Base::Row: {
      const graph::Table& t = graph_.tables[type.ref];
      if (auto it = t.by_label.find(text::normalize_label(value)); it != t.by_label.end()) {
        if (it->second.size() == 1) {
          out = Value::of_id(it->second[0]);
          return true;
        }
        return refuse(fmt::format("libellé ambigu : désigne plusieurs lignes de {}", t.name));
      }
      return refuse(fmt::format("libellé inconnu de la table {}", t.name));
    }
    case Base::Error:
      break;
  }
  return refuse("type non pris en charge");
}

bool RecordDecoder::decode(const CsvRecord& row, runtime::Record& record,
                           std::vector<FieldError>& errors) {
  // Bound the memory of the label caches on pathological inputs. Only here, between
  // records: a record's set values point into cache entries while it is evaluated.
  for (auto& cache : split_cache_) {
    if (cache.size() > 100000) cache.clear();
  }
  if (row.fields.size() != header_size_) {
    errors.push_back(
        {"", "",
         fmt::format("{} champ(s) au lieu des {} de l'en-tête", row.fields.size(), header_size_)});
    return false;
  }
  bool ok = true;
  for (std::size_t f = 0; f < graph_.schema.fields.size(); ++f) {
    ok = decode_field(f, row.fields[positions_[f]], record, errors) && ok;
  }
  return ok;
}

}  // namespace tamis::io
