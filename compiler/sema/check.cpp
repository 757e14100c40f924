#include "compiler/sema/check.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "support/decimal.hpp"
#include "support/lang.hpp"
#include "support/text.hpp"

namespace tamis::sema {
namespace {

using graph::Base;
using graph::NodeId;
using graph::Op;
using graph::Type;
using graph::Value;

const Type kError{};  // also "the type is unknown because of an error already reported"
const Type kBool{Base::Boolean};
const Type kInteger{Base::Integer};
const Type kText{Base::Text};
constexpr FileId kNoFile = std::numeric_limits<FileId>::max();

// Built-in types under their French and English names.
std::optional<Base> builtin_type(std::string_view name) {
  static const std::map<std::string, Base, std::less<>> names = {
      {"texte", Base::Text},      {"text", Base::Text},       {"entier", Base::Integer},
      {"integer", Base::Integer}, {"décimal", Base::Decimal}, {"decimal", Base::Decimal},
      {"montant", Base::Decimal}, {"booléen", Base::Boolean}, {"booleen", Base::Boolean},
      {"boolean", Base::Boolean}, {"date", Base::Date}};
  auto it = names.find(name);
  if (it == names.end()) return std::nullopt;
  return it->second;
}

// Built-in functions (names in French and English).
enum class Builtin { RuleName, Unknowns, Label, Count };
std::optional<Builtin> builtin_function(std::string_view name) {
  static const std::map<std::string, Builtin, std::less<>> names = {
      {"nom_regle", Builtin::RuleName},    {"nom_règle", Builtin::RuleName},
      {"rule_name", Builtin::RuleName},    {"non_reconnus", Builtin::Unknowns},
      {"unrecognised", Builtin::Unknowns}, {"libelle", Builtin::Label},
      {"libellé", Builtin::Label},         {"label", Builtin::Label},
      {"nombre", Builtin::Count},          {"count", Builtin::Count}};
  auto it = names.find(name);
  if (it == names.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> builtin_function_names() {
  return {"nom_regle", "non_reconnus", "libelle", "nombre"};
}

// A type as messages show it: graph::type_name in French ("ensemble de Levier",
// "entier?"); in English, the English names of the built-in types, which the
// language accepts too ("set of Levier", "integer?").
std::string type_label(const graph::RuleGraph& g, const Type& t) {
  if (current_lang() != Lang::En) return graph::type_name(g, t);
  std::string base;
  switch (t.base) {
    case Base::Boolean:
      base = "boolean";
      break;
    case Base::Integer:
      base = "integer";
      break;
    case Base::Decimal:
      base = "decimal";
      break;
    case Base::Text:
      base = "text";
      break;
    case Base::Date:
      base = "date";
      break;
    case Base::Enum:
      base = t.ref < g.enums.size() ? g.enums[t.ref].name : "?";
      break;
    case Base::Row:
      base = t.ref < g.tables.size() ? g.tables[t.ref].name : "?";
      break;
    case Base::Error:
      return "(error)";
  }
  if (t.set) return "set of " + base;
  return t.optional ? base + "?" : base;
}

std::string did_you_mean(std::string_view name) {
  return tr("vouliez-vous dire « {} » ?", "did you mean '{}'?", name);
}

// What a duplicate declaration is, for E0105.
enum class Declared { Type, Value, Name, Column, Test, OutputColumn };

// A value name of the rule set: a schema field, a `soit` definition or a decision.
struct ValueName {
  enum class Kind { Field, Let, Decision } kind;
  std::uint32_t index;
  SourceRange range;
};

struct TypeName {
  enum class Kind { Enum, Table } kind;
  std::uint32_t index;
  SourceRange range;
};

enum class State { Unvisited, InProgress, Done };

// Names known to be present in the current sub-expression (after `x est renseigné et …`).
using Narrowing = std::vector<std::pair<ValueName::Kind, std::uint32_t>>;

class Checker {
 public:
  Checker(graph::RuleGraph& g, DiagnosticSink& sink) : g_(g), sink_(sink) {}

  void run(const std::vector<ast::File>& files) {
    for (const auto& f : files) {
      for (const auto& d : f.rule_sets) declare_rule_set(d);
      for (const auto& d : f.enums) declare_enum(d);
      for (const auto& d : f.tables) declare_table_name(d);
    }
    for (const auto& f : files) {
      for (const auto& d : f.schemas) declare_schema(d);
    }
    if (schema_decl_ == nullptr && !files.empty()) {
      // About the whole folder, not one of its files: rendered "tamis: erreur[E0303]".
      sink_.error("E0303", {kNoFile},
                  tr("aucun schéma de dossier n'est déclaré", "no dossier schema is declared"),
                  tr("ajoutez un bloc « schéma Dossier {{ … }} » qui relie chaque champ à une "
                     "colonne de l'export",
                     "add a block 'schema Dossier {{ … }}' that maps each field to a column of "
                     "the export"));
    }
    for (const auto& f : files) {
      for (const auto& d : f.tables) define_table(d);
      for (const auto& d : f.lets) declare_let(d);
      for (const auto& d : f.decisions) declare_decision(d);
    }
    for (std::uint32_t i = 0; i < let_decls_.size(); ++i) ensure_let(i, {});
    for (std::uint32_t i = 0; i < decision_decls_.size(); ++i) ensure_decision(i, {});
    for (const auto& f : files) {
      for (const auto& d : f.outputs) define_output(d);
      for (const auto& d : f.summaries) define_summary(d);
    }
    if (g_.outputs.empty() && !g_.schema.fields.empty()) default_outputs();
    for (const auto& f : files) {
      for (const auto& d : f.tests) define_test(d);  // after outputs: tests may name them
    }
    warn_unused();
  }

 private:
  // ------------------------------------------------------------ declarations

  void duplicate(Declared what, const ast::Name& name, SourceRange first) {
    std::string message;
    switch (what) {
      case Declared::Type:
        message =
            tr("le type « {} » est déjà déclaré", "the type '{}' is already declared", name.text);
        break;
      case Declared::Value:
        message = tr("la valeur « {} » est déjà déclarée", "the value '{}' is already declared",
                     name.text);
        break;
      case Declared::Name:
        message =
            tr("le nom « {} » est déjà déclaré", "the name '{}' is already declared", name.text);
        break;
      case Declared::Column:
        message = tr("la colonne « {} » est déjà déclarée", "the column '{}' is already declared",
                     name.text);
        break;
      case Declared::Test:
        message =
            tr("le test « {} » est déjà déclaré", "the test '{}' is already declared", name.text);
        break;
      case Declared::OutputColumn:
        message =
            tr("colonne de sortie « {} » en double", "duplicate output column '{}'", name.text);
        break;
    }
    Diagnostic d{Severity::Error,
                 "E0105",
                 name.range,
                 std::move(message),
                 tr("renommez l'une des deux déclarations", "rename one of the two declarations"),
                 {}};
    d.notes.push_back({first, tr("première déclaration ici", "first declaration here")});
    sink_.report(std::move(d));
  }

  void declare_rule_set(const ast::RuleSetDecl& d) {
    if (!g_.name.empty()) {
      sink_.error("E0105", d.range,
                  tr("le jeu de règles est déjà nommé", "the rule set is already named"),
                  tr("une seule déclaration « règles » par dossier de règles",
                     "only one 'ruleset' declaration per rules folder"));
      return;
    }
    g_.name = d.name;
    g_.version = d.version;
  }

  bool declare_type_name(const ast::Name& name, TypeName::Kind kind, std::uint32_t index) {
    if (builtin_type(name.text)) {
      sink_.error("E0105", name.range,
                  tr("« {} » est un type prédéfini", "'{}' is a built-in type", name.text),
                  tr("choisissez un autre nom", "choose another name"));
      return false;
    }
    auto [it, inserted] = types_.emplace(name.text, TypeName{kind, index, name.range});
    if (!inserted) {
      duplicate(Declared::Type, name, it->second.range);
      return false;
    }
    return true;
  }

  void declare_enum(const ast::EnumDecl& d) {
    graph::Enum e;
    e.name = d.name.text;
    e.range = d.range;
    std::map<std::string, SourceRange> names;
    for (const auto& v : d.values) {
      auto [it, inserted] = names.emplace(v.name.text, v.name.range);
      if (!inserted) {
        duplicate(Declared::Value, v.name, it->second);
        continue;
      }
      graph::EnumValue value;
      value.name = v.name.text;
      value.label = v.label.value_or(v.name.text);
      value.code = v.code ? v.code->text : v.name.text;
      value.range = v.range;
      const auto index = static_cast<std::uint32_t>(e.values.size());
      auto add_key = [&](const ast::Name& spelling) {
        const std::string key = text::normalize_label(spelling.text);
        auto [kit, fresh] = e.by_label.emplace(key, index);
        if (!fresh && kit->second != index) {
          Diagnostic diag{Severity::Error,
                          "E0106",
                          spelling.range,
                          tr("« {} » désigne déjà la valeur « {} » de {}",
                             "'{}' already denotes the value '{}' of {}", spelling.text,
                             e.values[kit->second].name, e.name),
                          tr("chaque libellé ou alias ne doit désigner qu'une valeur",
                             "each label or alias must denote only one value"),
                          {}};
          diag.notes.push_back(
              {e.values[kit->second].range, tr("valeur déjà désignée", "value already denoted")});
          sink_.report(std::move(diag));
        }
      };
      add_key(v.name);
      if (v.label) add_key({*v.label, v.range});
      if (v.code) add_key(*v.code);
      for (const auto& alias : v.aliases) {
        value.aliases.push_back(alias.text);
        add_key(alias);
      }
      e.values.push_back(std::move(value));
    }
    if (declare_type_name(d.name, TypeName::Kind::Enum,
                          static_cast<std::uint32_t>(g_.enums.size()))) {
      g_.enums.push_back(std::move(e));
    }
  }

  void declare_table_name(const ast::TableDecl& d) {
    if (declare_type_name(d.name, TypeName::Kind::Table,
                          static_cast<std::uint32_t>(g_.tables.size()))) {
      graph::Table t;
      t.name = d.name.text;
      t.range = d.range;
      g_.tables.push_back(std::move(t));
      table_decls_.push_back(&d);
    }
  }

  std::vector<std::string> type_candidates() const {
    std::vector<std::string> out = {"texte", "entier", "décimal", "booléen", "date"};
    for (const auto& [name, _] : types_) out.push_back(name);
    return out;
  }

  Type resolve_type(const ast::TypeRef& ref) {
    Type t;
    if (auto b = builtin_type(ref.name.text)) {
      t.base = *b;
    } else if (auto it = types_.find(ref.name.text); it != types_.end()) {
      t.base = it->second.kind == TypeName::Kind::Enum ? Base::Enum : Base::Row;
      t.ref = it->second.index;
    } else {
      // Type names from spreadsheets and other languages.
      // Each maps to the French and the English name of the built-in type, or to "" for
      // "a number": integer or decimal.
      static const std::map<std::string, std::pair<std::string, std::string>, std::less<>> usual = {
          {"nombre", {"", ""}},
          {"numerique", {"", ""}},
          {"number", {"", ""}},
          {"int", {"entier", "integer"}},
          {"reel", {"décimal", "decimal"}},
          {"float", {"décimal", "decimal"}},
          {"chaine", {"texte", "text"}},
          {"string", {"texte", "text"}},
          {"bool", {"booléen", "boolean"}}};
      std::string hint;
      if (auto u = usual.find(text::normalize_label(ref.name.text)); u != usual.end()) {
        hint = u->second.first.empty()
                   ? tr("pour un nombre, employez « entier » ou « décimal »",
                        "for a number, use 'integer' or 'decimal'")
                   : did_you_mean(current_lang() == Lang::En ? u->second.second : u->second.first);
      } else if (auto m = text::closest_match(ref.name.text, type_candidates())) {
        hint = did_you_mean(*m);
      } else {
        hint = tr(
            "types prédéfinis : texte, entier, décimal, booléen, date ; ou une énumération ou "
            "une table déclarée",
            "built-in types: text, integer, decimal, boolean, date; or a declared enumeration or "
            "table");
      }
      sink_.error("E0104", ref.name.range,
                  tr("type inconnu « {} »", "unknown type '{}'", ref.name.text), hint);
      return kError;
    }
    t.optional = ref.optional;
    t.set = ref.set;
    if (t.set && t.base != Base::Enum && t.base != Base::Row && t.base != Base::Text) {
      sink_.error("E0201", ref.range,
                  tr("un ensemble de {} n'est pas pris en charge", "a set of {} is not supported",
                     ref.name.text),
                  tr("un ensemble contient des valeurs d'énumération, des lignes de table ou des "
                     "textes",
                     "a set holds enumeration values, table rows or texts"));
      return kError;
    }
    return t;
  }

  bool declare_value_name(const ast::Name& name, ValueName v) {
    auto [it, inserted] = values_.emplace(name.text, v);
    if (!inserted) {
      duplicate(Declared::Name, name, it->second.range);
      return false;
    }
    return true;
  }

  void declare_schema(const ast::SchemaDecl& d) {
    if (schema_decl_ != nullptr) {
      Diagnostic diag{Severity::Error,
                      "E0303",
                      d.name.range,
                      tr("un seul schéma de dossier est permis par jeu de règles",
                         "only one dossier schema is allowed per rule set"),
                      tr("réunissez les champs dans le premier schéma",
                         "gather the fields in the first schema"),
                      {}};
      diag.notes.push_back(
          {schema_decl_->name.range, tr("premier schéma ici", "first schema here")});
      sink_.report(std::move(diag));
      return;
    }
    schema_decl_ = &d;
    g_.schema.name = d.name.text;
    g_.schema.range = d.range;
    std::map<std::string, SourceRange> columns;
    for (const auto& f : d.fields) {
      graph::Field field;
      field.name = f.name.text;
      field.type = resolve_type(f.type);
      field.column = f.column.text;
      field.range = f.range;
      auto [it, inserted] = columns.emplace(text::normalize_label(f.column.text), f.column.range);
      if (!inserted) duplicate(Declared::Column, f.column, it->second);
      const auto index = static_cast<std::uint32_t>(g_.schema.fields.size());
      if (declare_value_name(f.name, {ValueName::Kind::Field, index, f.name.range})) {
        g_.schema.fields.push_back(std::move(field));
      }
    }
  }

  // --------------------------------------------------------------- tables

  std::optional<std::uint32_t> enum_value_by_spelling(std::uint32_t enum_index,
                                                      const ast::Name& spelling, bool is_label) {
    const auto& e = g_.enums[enum_index];
    if (!is_label) {
      for (std::uint32_t i = 0; i < e.values.size(); ++i) {
        if (e.values[i].name == spelling.text) return i;
      }
    }
    if (auto it = e.by_label.find(text::normalize_label(spelling.text)); it != e.by_label.end()) {
      return it->second;
    }
    std::vector<std::string> candidates;
    for (const auto& v : e.values) candidates.push_back(is_label ? v.label : v.name);
    std::string hint;
    if (auto m = text::closest_match(spelling.text, candidates)) {
      hint = did_you_mean(*m);
    } else {
      hint = tr("valeurs possibles : {}", "possible values: {}", fmt::join(candidates, ", "));
    }
    sink_.error(
        "E0103", spelling.range,
        tr("« {} » n'est pas une valeur de {}", "'{}' is not a value of {}", spelling.text, e.name),
        hint);
    return std::nullopt;
  }

  const std::uint64_t* store_set(std::vector<std::uint64_t> words) {
    g_.set_storage.push_back(std::move(words));
    return g_.set_storage.back().data();
  }

  // `column` names the column in messages.
  std::optional<Value> cell_value(const ast::Cell& cell, const Type& type,
                                  const std::string& column) {
    switch (cell.kind) {
      case ast::Cell::Kind::Empty:
        if (!type.optional && !type.set) {
          sink_.error("E0202", cell.range,
                      tr("la colonne « {} » n'accepte pas de valeur vide",
                         "the column '{}' does not accept an empty value", column),
                      tr("déclarez la colonne optionnelle avec « ? » ou donnez une valeur",
                         "declare the column optional with '?' or give a value"));
          return std::nullopt;
        }
        if (type.set) return Value::of_words(store_set({}), 0);
        return Value::missing();
      case ast::Cell::Kind::Set: {
        if (!type.set || type.base != Base::Enum) {
          sink_.error(
              "E0201", cell.range,
              tr("un ensemble n'est pas attendu dans la colonne « {} »",
                 "a set is not expected in the column '{}'", column),
              tr("la colonne est de type {}", "the column is of type {}", type_label(g_, type)));
          return std::nullopt;
        }
        std::vector<std::uint64_t> words(graph::words_for(g_.enums[type.ref].values.size()), 0);
        for (std::size_t i = 0; i < cell.items.size(); ++i) {
          if (auto v = enum_value_by_spelling(type.ref, cell.items[i], cell.item_is_label[i])) {
            words[*v / 64] |= std::uint64_t{1} << (*v % 64);
          }
        }
        const auto count = static_cast<std::uint32_t>(words.size());
        return Value::of_words(store_set(std::move(words)), count);
      }
      case ast::Cell::Kind::Literal:
        break;
    }
    const auto& lit = cell.literal;
    using K = ast::Literal::Kind;
    if (!type.set) {
      if (type.base == Base::Text && lit.kind == K::Text) {
        g_.text_storage.push_back(lit.text);
        return Value::of_text(g_.text_storage.back());
      }
      if (type.base == Base::Integer && lit.kind == K::Integer)
        return Value::of_integer(lit.integer);
      if (type.base == Base::Decimal && lit.kind == K::Integer) {
        if (auto d = decimal::from_integer(lit.integer)) return Value::of_decimal(*d);
        sink_.error("E0007", cell.range,
                    tr("nombre trop grand « {} » pour un décimal",
                       "number too large '{}' for a decimal", lit.text));
        return std::nullopt;
      }
      if (type.base == Base::Decimal && lit.kind == K::Decimal)
        return Value::of_decimal(lit.decimal);
      if (type.base == Base::Date && lit.kind == K::Date) return Value::of_date(lit.date);
      if (type.base == Base::Boolean && lit.kind == K::Boolean) return Value::of_bool(lit.boolean);
      if (type.base == Base::Enum && lit.kind == K::Text) {
        if (auto v = enum_value_by_spelling(type.ref, {lit.text, cell.range}, true)) {
          return Value::of_id(*v);
        }
        return std::nullopt;
      }
    }
    sink_.error("E0201", cell.range,
                tr("valeur du mauvais type pour la colonne « {} »",
                   "value of the wrong type for the column '{}'", column),
                tr("la colonne attend : {}", "the column expects: {}", type_label(g_, type)));
    return std::nullopt;
  }

  void define_table(const ast::TableDecl& d) {
    auto found = types_.find(d.name.text);
    if (found == types_.end() || found->second.kind != TypeName::Kind::Table ||
        table_decls_[found->second.index] != &d) {
      return;  // a duplicate name, already reported
    }
    auto& t = g_.tables[found->second.index];
    const auto table_index = found->second.index;
    std::set<std::string> column_names;
    for (const auto& c : d.columns) {
      if (!column_names.insert(c.name.text).second) {
        sink_.error("E0105", c.name.range,
                    tr("colonne « {} » en double", "duplicate column '{}'", c.name.text),
                    tr("supprimez l'une des deux colonnes « {} », ou renommez-la",
                       "remove one of the two columns '{}', or rename it", c.name.text));
      }
      Type type = resolve_type(c.type);
      if (type.base == Base::Row) {
        sink_.error("E0201", c.type.range,
                    tr("une colonne de table ne peut pas désigner une table",
                       "a table column cannot refer to a table"),
                    tr("utilisez une énumération", "use an enumeration"));
        type = kError;
      }
      t.columns.push_back({c.name.text, type});
    }
    std::map<std::string, std::pair<std::uint32_t, SourceRange>> keys;  // normalised key → row
    for (const auto& r : d.rows) {
      graph::Row row;
      row.key = r.key.text;
      row.range = r.range;
      const auto row_index = static_cast<std::uint32_t>(t.rows.size());
      const bool complete = r.cells.size() == t.columns.size();
      // A column written twice in the header: rows with one value per distinct column follow
      // from that mistake, already reported (E0105), not from theirs.
      const bool fits_distinct_columns = r.cells.size() == column_names.size();
      if (!complete && !fits_distinct_columns) {
        std::vector<std::string> names;
        for (const auto& c : t.columns) names.push_back(c.name);
        sink_.error("E0304", r.range,
                    tr("la ligne « {} » a {} valeur(s) pour {} colonne(s)",
                       "the row '{}' has {} value(s) for {} column(s)", r.key.text, r.cells.size(),
                       t.columns.size()),
                    tr("colonnes attendues, séparées par « | » : {}",
                       "expected columns, separated by '|': {}", fmt::join(names, " | ")));
      }
      // With a cell missing or extra, which cell goes with which column is a guess:
      // checking the cells would report follow-on type errors.
      for (std::size_t i = 0; complete && i < r.cells.size(); ++i) {
        if (t.columns[i].type.is_error()) {
          row.cells.push_back(Value::missing());
          continue;
        }
        row.cells.push_back(cell_value(r.cells[i], t.columns[i].type, t.columns[i].name)
                                .value_or(Value::missing()));
      }
      row.cells.resize(t.columns.size());

      auto add_label = [&](const ast::Name& label, bool is_key) {
        const std::string key = text::normalize_label(label.text);
        auto& rows = t.by_label[key];
        auto [kit, fresh] = keys.emplace(key, std::make_pair(row_index, label.range));
        // A key equal to an earlier row's alias is reported once, below, with both orders.
        // (A key is a row's first label: an earlier entry belongs to an earlier row.)
        if (is_key && !fresh && text::normalize_label(t.rows[kit->second.first].key) == key) {
          Diagnostic diag{
              Severity::Error,
              "E0305",
              label.range,
              tr("« {} » désigne déjà la ligne « {} »", "'{}' already denotes the row '{}'",
                 label.text, t.rows[kit->second.first].key),
              tr("une clé de table doit être unique (casse et accents ignorés)",
                 "a table key must be unique (case and accents ignored)"),
              {}};
          diag.notes.push_back({kit->second.second, tr("déjà employée ici", "already used here")});
          sink_.report(std::move(diag));
          return;
        }
        if (std::find(rows.begin(), rows.end(), row_index) == rows.end()) rows.push_back(row_index);
        t.longest_label_pieces = std::max(t.longest_label_pieces, text::count_choices(label.text));
      };
      add_label(r.key, true);
      for (const auto& alias : r.aliases) {
        row.aliases.push_back(alias.text);
        add_label(alias, false);
      }
      t.rows.push_back(std::move(row));
    }
    // A canonical key must never also be another row's alias: that would make the
    // key itself ambiguous. (Shared aliases are allowed: they name all their rows.)
    for (std::uint32_t i = 0; i < t.rows.size(); ++i) {
      const std::string key = text::normalize_label(t.rows[i].key);
      const auto& rows = t.by_label[key];
      if (rows.size() < 2) continue;
      const std::uint32_t other = rows[0] != i ? rows[0] : rows[1];
      Diagnostic diag{
          Severity::Error,
          "E0305",
          d.rows[i].key.range,
          tr("la clé « {} » est aussi un alias de la ligne « {} »",
             "the key '{}' is also an alias of the row '{}'", t.rows[i].key, t.rows[other].key),
          tr("retirez cet alias de l'autre ligne, ou changez la clé",
             "remove this alias from the other row, or change the key"),
          {}};
      for (const auto& alias : d.rows[other].aliases) {
        if (text::normalize_label(alias.text) == key) {
          diag.notes.push_back(
              {alias.range, tr("alias de « {} » ici", "alias of '{}' here", t.rows[other].key)});
          break;
        }
      }
      sink_.report(std::move(diag));
    }
    (void)table_index;
  }

  // ------------------------------------------------------- lets, decisions

  void declare_let(const ast::LetDecl& d) {
    const auto index = static_cast<std::uint32_t>(let_decls_.size());
    if (!declare_value_name(d.name, {ValueName::Kind::Let, index, d.name.range})) return;
    let_decls_.push_back(&d);
    let_state_.push_back(State::Unvisited);
    let_used_.push_back(false);
    g_.lets.push_back({d.name.text, d.label, kError, graph::kNoNode, d.range});
  }

  void declare_decision(const ast::DecisionDecl& d) {
    const auto index = static_cast<std::uint32_t>(decision_decls_.size());
    if (!declare_value_name(d.name, {ValueName::Kind::Decision, index, d.name.range})) return;
    decision_decls_.push_back(&d);
    decision_state_.push_back(State::Unvisited);
    graph::Decision decision;
    decision.name = d.name.text;
    decision.range = d.range;
    g_.decisions.push_back(std::move(decision));
  }

  // Reports `a → b → a` when a definition depends on itself.
  bool enter(State& state, const std::string& name, SourceRange use) {
    if (state == State::InProgress) {
      auto it =
          std::find_if(path_.begin(), path_.end(), [&](const auto& p) { return p.first == name; });
      std::string cycle;
      for (auto p = it; p != path_.end(); ++p) cycle += p->first + " → ";
      cycle += name;
      Diagnostic d{Severity::Error,
                   "E0301",
                   it != path_.end() ? it->second : use,
                   tr("définition circulaire : {}", "circular definition: {}", cycle),
                   tr("une définition ne peut pas dépendre d'elle-même, même indirectement",
                      "a definition cannot depend on itself, even indirectly"),
                   {}};
      d.notes.push_back({use, tr("la boucle se referme ici", "the loop closes here")});
      sink_.report(std::move(d));
      return false;
    }
    return state == State::Unvisited;
  }

  void ensure_let(std::uint32_t index, SourceRange use) {
    if (!enter(let_state_[index], g_.lets[index].name, use)) return;
    let_state_[index] = State::InProgress;
    const auto& d = *let_decls_[index];
    path_.push_back({d.name.text, d.name.range});
    std::optional<Type> declared;
    if (d.type) declared = resolve_type(*d.type);
    const NodeId root = lower(*d.value, declared, {});
    Type type = g_.nodes[root].type;
    if (declared && !declared->is_error() && !type.is_error() && !assignable(type, *declared)) {
      sink_.error("E0201", d.value->range,
                  tr("la définition « {} » est déclarée {} mais vaut {}",
                     "the definition '{}' is declared {} but its value is {}", d.name.text,
                     type_label(g_, *declared), type_label(g_, type)));
      type = kError;
    } else if (declared && !declared->is_error()) {
      type = *declared;
    }
    g_.lets[index].type = type;
    g_.lets[index].root = declared ? coerce(root, *declared) : root;
    path_.pop_back();
    let_state_[index] = State::Done;
  }

  void ensure_decision(std::uint32_t index, SourceRange use) {
    if (!enter(decision_state_[index], g_.decisions[index].name, use)) return;
    decision_state_[index] = State::InProgress;
    const auto& d = *decision_decls_[index];
    path_.push_back({d.name.text, d.name.range});
    auto& out = g_.decisions[index];
    out.policy = static_cast<graph::HitPolicy>(d.policy);
    const Type result_type = resolve_type({d.type, false, false, d.type.range});
    std::map<std::string, SourceRange> rule_names;
    auto lower_rule = [&](const ast::RuleDecl& r) {
      graph::Rule rule;
      rule.name = r.name.text;
      rule.reason = r.reason;
      rule.range = r.range;
      if (auto [first, fresh] = rule_names.emplace(r.name.text, r.name.range); !fresh) {
        Diagnostic diag{
            Severity::Error,
            "E0105",
            r.name.range,
            tr("la règle « {} » est déjà déclarée dans cette décision",
               "the rule '{}' is already declared in this decision", r.name.text),
            tr("donnez à chaque règle un nom unique : c'est lui qui explique le résultat",
               "give each rule a unique name: it is what explains the result"),
            {}};
        diag.notes.push_back(
            {first->second, tr("première règle de ce nom", "first rule of this name")});
        sink_.report(std::move(diag));
      }
      if (r.condition) {
        rule.condition = lower(*r.condition, kBool, {});
        require_condition(rule.condition, *r.condition);
      }
      rule.result = coerce(lower(*r.result, result_type, {}), result_type);
      const Type t = g_.nodes[rule.result].type;
      if (!t.is_error() && !result_type.is_error() && !assignable(t, result_type)) {
        sink_.error(
            "E0201", r.result->range,
            tr("la décision « {} » produit {}, pas {}", "the decision '{}' produces {}, not {}",
               d.name.text, type_label(g_, result_type), type_label(g_, t)));
      }
      return rule;
    };
    for (const auto& r : d.rules) out.rules.push_back(lower_rule(r));
    if (d.fallback) {
      out.fallback = lower_rule(*d.fallback);
    } else if (d.policy != ast::HitPolicy::Collect) {
      sink_.error("E0302", d.name.range,
                  tr("la décision « {} » n'a pas de « sinon » : un dossier qu'aucune "
                     "règle ne retient resterait sans résultat",
                     "the decision '{}' has no 'otherwise': a dossier that no rule selects would "
                     "be left without a result",
                     d.name.text),
                  tr("ajoutez « sinon <valeur> » à la fin de la décision",
                     "add 'otherwise <value>' at the end of the decision"));
    }
    out.type = result_type;
    if (d.policy == ast::HitPolicy::Collect && !result_type.is_error()) {
      if (result_type.base != Base::Enum && result_type.base != Base::Row) {
        sink_.error("E0201", d.type.range,
                    tr("une décision « toutes » doit produire une valeur d'énumération ou une "
                       "ligne de table",
                       "a 'collect' decision must produce an enumeration value or a table row"));
        out.type = kError;
      } else {
        out.type.set = true;
      }
    }
    path_.pop_back();
    decision_state_[index] = State::Done;
  }

  // `et "mature"`: a declared name written in quotes is a text, not the definition.
  std::string quoted_name_hint(const ast::Expr& e) const {
    if (e.kind != ast::ExprKind::Literal || e.literal.kind != ast::Literal::Kind::Text ||
        values_.count(e.literal.text) == 0) {
      return {};
    }
    return tr("retirez les guillemets : sans eux, « {} » désigne la définition de ce nom",
              "remove the quotes: without them, '{}' denotes the definition of that name",
              e.literal.text);
  }

  void require_condition(NodeId node, const ast::Expr& e) {
    const Type t = g_.nodes[node].type;
    if (t.is_error()) return;
    if (t.base != Base::Boolean || t.set) {
      sink_.error("E0201", e.range,
                  tr("une condition doit être vraie ou fausse, or cette expression est "
                     "de type {}",
                     "a condition must be true or false, but this expression is of type {}",
                     type_label(g_, t)),
                  quoted_name_hint(e));
    } else if (t.optional) {
      optional_error(e, t);
    }
  }

  // ------------------------------------------------------- outputs, summaries

  // The columns of every `sortie` block of the rule set (several blocks add up): a name
  // given twice, in one block or in two, would be two columns of the results file under
  // one header.
  void define_output(const ast::OutputDecl& d) {
    for (const auto& c : d.columns) {
      const auto [first, added] = output_names_.emplace(c.name.text, c.name.range);
      if (!added) {
        duplicate(Declared::OutputColumn, c.name, first->second);
        continue;
      }
      const NodeId node = lower(*c.value, std::nullopt, {}, /*allow_missing=*/true);
      g_.outputs.push_back({c.name.text, node});
    }
  }

  void default_outputs() {
    auto field = [&](std::uint32_t i) {
      return add_node({Op::Field, g_.schema.fields[i].type, i, 0, 0, 0, g_.schema.fields[i].range});
    };
    g_.outputs.push_back({g_.schema.fields[0].name, field(0)});
    for (std::uint32_t i = 0; i < g_.decisions.size(); ++i) {
      const auto& dec = g_.decisions[i];
      g_.outputs.push_back({dec.name, add_node({Op::Decision, dec.type, i, 0, 0, 0, dec.range})});
      g_.outputs.push_back({"regle", add_node({Op::RuleName, kText, i, 0, 0, 0, dec.range})});
    }
  }

  void define_summary(const ast::SummaryDecl& d) {
    graph::Summary s;
    s.title = d.title.text;
    s.range = d.range;
    auto axis = [&](const ast::Expr& e) {
      const NodeId n = lower(e, std::nullopt, {}, /*allow_missing=*/true);
      const Type t = g_.nodes[n].type;
      if (!t.is_error() && t.base != Base::Enum && t.base != Base::Row && t.base != Base::Text) {
        sink_.error("E0201", e.range,
                    tr("une synthèse compte par valeur d'énumération, ligne de table ou "
                       "texte, pas par {}",
                       "a summary counts by enumeration value, table row or text, not by {}",
                       type_label(g_, t)));
      }
      return n;
    };
    s.rows = axis(*d.rows);
    if (d.columns) s.columns = axis(*d.columns);
    if (d.condition) {
      s.condition = lower(*d.condition, kBool, {});
      require_condition(s.condition, *d.condition);
    }
    g_.summaries.push_back(std::move(s));
  }

  void define_test(const ast::TestDecl& d) {
    graph::TestCase t;
    t.name = d.name.text;
    t.range = d.range;
    // A test named twice is reported, and its body still checked: its errors show at once.
    bool named_twice = false;
    for (const auto& other : g_.tests) {
      if (other.name == t.name) {
        duplicate(Declared::Test, d.name, other.range);
        named_twice = true;
        break;
      }
    }
    std::vector<std::string> field_names;
    for (const auto& f : g_.schema.fields) field_names.push_back(f.name);
    for (const auto& given : d.given) {
      auto it = std::find(field_names.begin(), field_names.end(), given.field.text);
      if (it == field_names.end()) {
        std::string hint =
            tr("un test donne les champs du schéma, comme les cellules de l'export",
               "a test gives the fields of the schema, like the cells of the export");
        if (auto m = text::closest_match(given.field.text, field_names)) hint = did_you_mean(*m);
        sink_.error("E0101", given.field.range,
                    tr("« {} » n'est pas un champ du schéma", "'{}' is not a field of the schema",
                       given.field.text),
                    hint);
        continue;
      }
      const auto index = static_cast<std::uint32_t>(it - field_names.begin());
      for (const auto& [f, cell] : t.given) {
        if (f == index)
          sink_.error("E0105", given.field.range,
                      tr("le champ « {} » est donné deux fois", "the field '{}' is given twice",
                         given.field.text));
      }
      t.given.emplace_back(index, given.cell);
    }
    for (const auto& e : d.expected) {
      graph::Expectation x;
      x.name = e.name.text;
      x.range = e.range;
      if (e.output) {
        auto it = std::find_if(g_.outputs.begin(), g_.outputs.end(),
                               [&](const auto& o) { return o.name == e.name.text; });
        if (it == g_.outputs.end()) {
          std::vector<std::string> names;
          for (const auto& o : g_.outputs) names.push_back(o.name);
          std::string hint =
              tr("colonnes de sortie : {}", "output columns: {}", fmt::join(names, ", "));
          if (auto m = text::closest_match(e.name.text, names)) hint = did_you_mean(*m);
          sink_.error("E0107", e.name.range,
                      tr("pas de colonne de sortie « {} »", "no output column '{}'", e.name.text),
                      hint);
          continue;
        }
        if (e.value->kind != ast::ExprKind::Literal ||
            e.value->literal.kind != ast::Literal::Kind::Text) {
          type_error(*e.value,
                     tr("une colonne de sortie s'attend sous forme de texte, tel qu'écrit dans les "
                        "résultats",
                        "an output column is expected as text, as written in the results"),
                     tr("par exemple : attendu \"axes\" = \"climat | sante\"",
                        "for example: expect \"axes\" = \"climat | sante\""));
          continue;
        }
        x.kind = graph::Expectation::Kind::Output;
        x.index = static_cast<std::uint32_t>(it - g_.outputs.begin());
        x.text = e.value->literal.text;
        if (!expected_twice(t, x)) t.expected.push_back(std::move(x));
        continue;
      }
      auto it = values_.find(e.name.text);
      if (it == values_.end()) {
        std::string hint;
        if (auto m = text::closest_match(e.name.text, value_candidates(std::nullopt))) {
          hint = did_you_mean(*m);
        }
        sink_.error("E0101", e.name.range,
                    tr("nom inconnu « {} »", "unknown name '{}'", e.name.text), hint);
        continue;
      }
      Type type;
      switch (it->second.kind) {
        case ValueName::Kind::Decision:
          x.kind = graph::Expectation::Kind::Decision;
          type = g_.decisions[it->second.index].type;
          break;
        case ValueName::Kind::Let:
          x.kind = graph::Expectation::Kind::Let;
          type = g_.lets[it->second.index].type;
          let_used_[it->second.index] = true;
          break;
        case ValueName::Kind::Field:
          x.kind = graph::Expectation::Kind::Field;
          type = g_.schema.fields[it->second.index].type;
          break;
      }
      x.index = it->second.index;
      x.value = coerce(lower(*e.value, type.required(), {}), type);
      const Type vt = g_.nodes[x.value].type;
      if (!vt.is_error() && !type.is_error() && !assignable(vt, type)) {
        type_error(*e.value, tr("« {} » est de type {}, la valeur attendue de type {}",
                                "'{}' is of type {}, the expected value of type {}", e.name.text,
                                type_label(g_, type), type_label(g_, vt)));
        continue;
      }
      if (e.rule) {
        if (x.kind != graph::Expectation::Kind::Decision) {
          sink_.error(
              "E0201", e.rule->range,
              tr("« par » ne s'emploie qu'avec une décision", "'by' is only used with a decision"));
          continue;
        }
        const auto& dec = g_.decisions[x.index];
        std::vector<std::string> names;
        for (const auto& r : dec.rules) names.push_back(r.name);
        if (dec.fallback) names.push_back(dec.fallback->name);
        if (std::find(names.begin(), names.end(), e.rule->text) == names.end()) {
          std::string hint =
              tr("règles de « {} » : {}", "rules of '{}': {}", dec.name, fmt::join(names, ", "));
          if (auto m = text::closest_match(e.rule->text, names)) hint = did_you_mean(*m);
          sink_.error("E0109", e.rule->range,
                      tr("la décision « {} » n'a pas de règle « {} »",
                         "the decision '{}' has no rule '{}'", dec.name, e.rule->text),
                      hint);
          continue;
        }
        x.rule = e.rule->text;
      }
      if (!expected_twice(t, x)) t.expected.push_back(std::move(x));
    }
    if (!named_twice) g_.tests.push_back(std::move(t));
  }

  // A test expects each decision, definition, field or output column once: a second line
  // about it contradicts the first or repeats it (E0105, with a note at the first).
  bool expected_twice(const graph::TestCase& t, const graph::Expectation& x) {
    for (const auto& earlier : t.expected) {
      if (earlier.kind != x.kind || earlier.index != x.index) continue;
      Diagnostic d{Severity::Error,
                   "E0105",
                   x.range,
                   tr("« {} » est déjà attendu dans ce test",
                      "'{}' is already expected in this test", x.name),
                   tr("gardez une seule ligne « attendu {} » : un test n'attend qu'une valeur",
                      "keep a single 'expect {}' line: a test expects one value", x.name),
                   {}};
      d.notes.push_back({earlier.range, tr("première attente ici", "first expectation here")});
      sink_.report(std::move(d));
      return true;
    }
    return false;
  }

  void warn_unused() {
    for (std::uint32_t i = 0; i < let_decls_.size(); ++i) {
      if (!let_used_[i]) {
        sink_.warning(
            "W0401", let_decls_[i]->name.range,
            tr("la définition « {} » n'est utilisée nulle part",
               "the definition '{}' is not used anywhere", let_decls_[i]->name.text),
            tr("supprimez-la ou employez-la dans une règle", "remove it or use it in a rule"));
      }
    }
  }

  // ------------------------------------------------------------ expressions

  NodeId add_node(graph::Node n) {
    g_.nodes.push_back(n);
    return static_cast<NodeId>(g_.nodes.size() - 1);
  }

  // An integer where a decimal is expected is converted, not reinterpreted.
  NodeId coerce(NodeId node, const Type& to) {
    const Type from = g_.nodes[node].type;
    if (from.base != Base::Integer || to.base != Base::Decimal || from.set) return node;
    Type t = from;
    t.base = Base::Decimal;
    return add_node({Op::ToDecimal, t, node, 0, 0, 0, g_.nodes[node].range});
  }

  NodeId error_node(const ast::Expr& e) {
    return add_node({Op::Const, kError, 0, 0, 0, 0, e.range});
  }

  NodeId constant(Value v, Type t, SourceRange range) {
    g_.constants.push_back(v);
    return add_node(
        {Op::Const, t, static_cast<std::uint32_t>(g_.constants.size() - 1), 0, 0, 0, range});
  }

  static bool assignable(const Type& from, const Type& to) {
    if (from.base != to.base || from.set != to.set) {
      return from.base == Base::Integer && to.base == Base::Decimal && from.set == to.set &&
             (!from.optional || to.optional);
    }
    if ((from.base == Base::Enum || from.base == Base::Row) && from.ref != to.ref) return false;
    return !from.optional || to.optional;
  }

  static bool comparable(const Type& a, const Type& b) {
    if (a.numeric() && b.numeric()) return true;
    if (a.base != b.base) return false;
    if (a.base == Base::Enum || a.base == Base::Row) return a.ref == b.ref;
    return true;
  }

  // `hint` replaces the general advice when the construct calls for a specific one.
  void optional_error(const ast::Expr& e, const Type& t, std::string hint = {}) {
    if (hint.empty() && e.kind == ast::ExprKind::Name) {
      hint = tr(
          "vérifiez d'abord « {0} est renseigné et … », ou donnez une valeur par "
          "défaut : « {0} par défaut … »",
          "check '{0} is set and …' first, or give a default value: '{0} default …'", e.name.text);
    } else if (hint.empty()) {
      hint =
          tr("vérifiez d'abord « … est renseigné et … », ou donnez une valeur « … par défaut … »",
             "check '… is set and …' first, or give a value '… default …'");
    }
    sink_.error(
        "E0202", e.range,
        tr("valeur optionnelle ({}) employée sans garde : elle peut être absente",
           "optional value ({}) used without a guard: it may be missing", type_label(g_, t)),
        hint);
  }

  void type_error(const ast::Expr& e, const std::string& message, const std::string& hint = {}) {
    sink_.error("E0201", e.range, message, hint);
  }

  bool narrowed(const Narrowing& n, ValueName::Kind kind, std::uint32_t index) const {
    return std::find(n.begin(), n.end(), std::make_pair(kind, index)) != n.end();
  }

  // The values a condition says are present once it is known to hold (`holds`) or to
  // fail: `x est renseigné` that holds, `x n'est pas renseigné` that fails, and through
  // the `et`, `ou` and `non` written around them, as they are written flat:
  // `(x est renseigné et y est renseigné) et …` guards x and y, `non (x n'est pas
  // renseigné) et …` guards x. A `soit` that holds a guard is no guard (the guard is
  // written where the value is used, for the reader).
  static void guards_of(const graph::RuleGraph& g, NodeId node, bool holds, Narrowing& out) {
    const auto& n = g.nodes[node];
    switch (n.op) {
      case Op::IsSet:
      case Op::IsNotSet: {
        if ((n.op == Op::IsSet) != holds) return;
        const auto& operand = g.nodes[n.a];
        if (operand.op == Op::Field) out.emplace_back(ValueName::Kind::Field, operand.a);
        if (operand.op == Op::Let) out.emplace_back(ValueName::Kind::Let, operand.a);
        return;
      }
      case Op::Not:
        guards_of(g, n.a, !holds, out);
        return;
      case Op::And:
      case Op::Or:
        // Every operand is known only of an `et` that holds and of an `ou` that fails.
        if ((n.op == Op::And) != holds) return;
        for (std::uint32_t i = 0; i < n.arg_count; ++i)
          guards_of(g, g.args[n.first_arg + i], holds, out);
        return;
      default:
        return;
    }
  }

  // Lowers `e`; `expected` lets bare names and texts denote enum values or table rows.
  // `allow_missing`: an optional result is fine (outputs print it empty).
  NodeId lower(const ast::Expr& e, std::optional<Type> expected, const Narrowing& narrowing,
               bool allow_missing = true) {
    (void)allow_missing;
    switch (e.kind) {
      case ast::ExprKind::Literal:
        return lower_literal(e, expected);
      case ast::ExprKind::Name:
        return lower_name(e, expected, narrowing);
      case ast::ExprKind::Member:
        return lower_member(e, expected, narrowing);
      case ast::ExprKind::Call:
        return lower_call(e, narrowing);
      case ast::ExprKind::SetLiteral:
        return lower_set(e, expected, narrowing);
      case ast::ExprKind::Unary:
        return lower_unary(e, narrowing);
      case ast::ExprKind::Binary:
        return lower_binary(e, narrowing);
      case ast::ExprKind::And:
      case ast::ExprKind::Or:
        return lower_logic(e, narrowing);
    }
    return error_node(e);
  }

  NodeId lower_literal(const ast::Expr& e, const std::optional<Type>& expected) {
    const auto& lit = e.literal;
    using K = ast::Literal::Kind;
    switch (lit.kind) {
      case K::Integer:
        return constant(Value::of_integer(lit.integer), kInteger, e.range);
      case K::Decimal:
        return constant(Value::of_decimal(lit.decimal), {Base::Decimal}, e.range);
      case K::Date:
        return constant(Value::of_date(lit.date), {Base::Date}, e.range);
      case K::Boolean:
        return constant(Value::of_bool(lit.boolean), kBool, e.range);
      case K::Text:
        break;
    }
    if (expected && !expected->is_error()) {
      if (expected->base == Base::Enum) {
        if (auto v = enum_value_by_spelling(expected->ref, {lit.text, e.range}, true)) {
          return constant(Value::of_id(*v), {Base::Enum, false, false, expected->ref}, e.range);
        }
        return error_node(e);
      }
      if (expected->base == Base::Row) {
        auto rows = table_rows(expected->ref, {lit.text, e.range});
        if (rows.size() == 1) {
          return constant(Value::of_id(rows[0]), {Base::Row, false, false, expected->ref}, e.range);
        }
        if (rows.size() > 1) {
          std::vector<std::string> keys;
          for (auto r : rows) keys.push_back(g_.tables[expected->ref].rows[r].key);
          type_error(e,
                     tr("« {} » désigne plusieurs lignes de {} : {}",
                        "'{}' denotes several rows of {}: {}", lit.text,
                        g_.tables[expected->ref].name, fmt::join(keys, ", ")),
                     tr("nommez la ligne voulue par son libellé exact",
                        "name the intended row by its exact label"));
        }
        return error_node(e);
      }
    }
    g_.text_storage.push_back(lit.text);
    return constant(Value::of_text(g_.text_storage.back()), kText, e.range);
  }

  // Rows a label denotes (key or alias, case and accents ignored); reports unknown labels.
  std::vector<std::uint32_t> table_rows(std::uint32_t table, const ast::Name& label) {
    const auto& t = g_.tables[table];
    if (auto it = t.by_label.find(text::normalize_label(label.text)); it != t.by_label.end()) {
      return it->second;
    }
    std::vector<std::string> candidates;
    for (const auto& row : t.rows) {
      candidates.push_back(row.key);
      for (const auto& a : row.aliases) candidates.push_back(a);
    }
    std::string hint;
    if (auto m = text::closest_match(label.text, candidates)) {
      hint = did_you_mean(*m);
    } else {
      hint = tr("ajoutez la ligne ou un alias à la table {}",
                "add the row or an alias to the table {}", t.name);
    }
    sink_.error("E0102", label.range,
                tr("« {} » n'est pas une ligne de la table {}", "'{}' is not a row of the table {}",
                   label.text, t.name),
                hint);
    return {};
  }

  std::vector<std::string> value_candidates(const std::optional<Type>& expected) const {
    std::vector<std::string> out;
    for (const auto& [name, _] : values_) out.push_back(name);
    std::sort(out.begin(), out.end());
    if (expected && expected->base == Base::Enum && !expected->is_error()) {
      for (const auto& v : g_.enums[expected->ref].values) out.insert(out.begin(), v.name);
    }
    return out;
  }

  // When `name` is a value of an enumeration, where nothing says which (`travaux dans
  // {idee}`, `{consultation, travaux}`): what it is, its full name, and how a field of that
  // enumeration is compared to it.
  // `leviers contient Vélo`: a row of a table named by its label, which is a text.
  std::optional<std::string> row_label_hint(const std::string& name) const {
    const std::string key = text::normalize_label(name);
    for (const auto& table : g_.tables) {
      if (table.by_label.count(key) == 0) continue;
      return tr("« {0} » est une ligne de {1} : son libellé s'écrit entre guillemets, « \"{0}\" »",
                "'{0}' is a row of {1}: its label is written between quotes, '\"{0}\"'", name,
                table.name);
    }
    return std::nullopt;
  }

  std::optional<std::string> enum_value_hint(const std::string& name) const {
    for (std::uint32_t en = 0; en < g_.enums.size(); ++en) {
      const auto& values = g_.enums[en].values;
      if (std::none_of(values.begin(), values.end(),
                       [&](const graph::EnumValue& v) { return v.name == name; })) {
        continue;
      }
      const std::string& type = g_.enums[en].name;
      for (const auto& field : g_.schema.fields) {
        if (field.type.base != Base::Enum || field.type.ref != en) continue;
        const std::string example =
            field.type.set ? field.name + " contient " + name : field.name + " = " + name;
        return tr(
            "« {0} » est une valeur de {1} : là où rien n'indique ce type, écrivez "
            "« {1}.{0} » ; pour tester un champ, comparez-le à elle, par exemple « {2} »",
            "'{0}' is a value of {1}: where nothing tells that type, write '{1}.{0}'; to "
            "test a field, compare it to the value, for example '{2}'",
            name, type, example);
      }
      return tr("« {0} » est une valeur de {1} : là où rien n'indique ce type, écrivez « {1}.{0} »",
                "'{0}' is a value of {1}: where nothing tells that type, write '{1}.{0}'", name,
                type);
    }
    return std::nullopt;
  }

  NodeId lower_name(const ast::Expr& e, const std::optional<Type>& expected,
                    const Narrowing& narrowing) {
    const std::string& name = e.name.text;
    if (expected && expected->base == Base::Enum && !expected->is_error()) {
      const auto& en = g_.enums[expected->ref];
      for (std::uint32_t i = 0; i < en.values.size(); ++i) {
        if (en.values[i].name == name) {
          return constant(Value::of_id(i), {Base::Enum, false, false, expected->ref}, e.range);
        }
      }
    }
    auto it = values_.find(name);
    if (it == values_.end()) {
      // The expected type is unknown because of an error already reported (`maturité dans
      // {travaux}`), or there is no schema at all (E0303): the name may well be right.
      if ((expected && expected->is_error()) || schema_decl_ == nullptr) return error_node(e);
      const auto candidates = value_candidates(expected);
      std::string hint;
      if (auto m = text::closest_match(name, candidates)) hint = did_you_mean(*m);
      if (expected && expected->base == Base::Enum && !expected->is_error()) {
        for (const auto& other : g_.enums) {  // `alors travaux` where a Categorie is expected
          if (&other == &g_.enums[expected->ref]) continue;
          for (const auto& v : other.values) {
            if (v.name == name) {
              hint =
                  tr("« {} » est une valeur de {}, pas de {}", "'{}' is a value of {}, not of {}",
                     name, other.name, g_.enums[expected->ref].name);
            }
          }
        }
        if (hint.empty()) {
          std::vector<std::string> names;
          for (const auto& v : g_.enums[expected->ref].values) names.push_back(v.name);
          hint = tr("valeurs de {} : {}", "values of {}: {}", g_.enums[expected->ref].name,
                    fmt::join(names, ", "));
        }
        sink_.error("E0103", e.range,
                    tr("« {} » n'est ni une valeur de {} ni un nom déclaré",
                       "'{}' is neither a value of {} nor a declared name", name,
                       g_.enums[expected->ref].name),
                    hint);
      } else {
        if (auto value = enum_value_hint(name)) hint = std::move(*value);
        if (auto row = row_label_hint(name)) hint = std::move(*row);
        sink_.error("E0101", e.range, tr("nom inconnu « {} »", "unknown name '{}'", name), hint);
      }
      return error_node(e);
    }
    const ValueName& v = it->second;
    switch (v.kind) {
      case ValueName::Kind::Field: {
        Type t = g_.schema.fields[v.index].type;
        if (narrowed(narrowing, v.kind, v.index)) t.optional = false;
        return add_node({Op::Field, t, v.index, 0, 0, 0, e.range});
      }
      case ValueName::Kind::Let: {
        ensure_let(v.index, e.range);
        let_used_[v.index] = true;
        Type t = g_.lets[v.index].type;
        if (narrowed(narrowing, v.kind, v.index)) t.optional = false;
        return add_node({Op::Let, t, v.index, 0, 0, 0, e.range});
      }
      case ValueName::Kind::Decision:
        ensure_decision(v.index, e.range);
        return add_node({Op::Decision, g_.decisions[v.index].type, v.index, 0, 0, 0, e.range});
    }
    return error_node(e);
  }

  NodeId lower_member(const ast::Expr& e, const std::optional<Type>& expected,
                      const Narrowing& narrowing) {
    const ast::Expr& base = *e.args[0];
    // Maturite.travaux: a qualified enum value.
    if (base.kind == ast::ExprKind::Name && values_.count(base.name.text) == 0) {
      if (auto it = types_.find(base.name.text);
          it != types_.end() && it->second.kind == TypeName::Kind::Enum) {
        if (auto v = enum_value_by_spelling(it->second.index, e.name, false)) {
          return constant(Value::of_id(*v), {Base::Enum, false, false, it->second.index}, e.range);
        }
        return error_node(e);
      }
    }
    (void)expected;
    const NodeId operand = lower(base, std::nullopt, narrowing);
    const Type t = g_.nodes[operand].type;
    if (t.is_error()) return error_node(e);
    if (t.base != Base::Row) {
      // `id.secteur`: point to a field whose rows have that column (`leviers.secteur`).
      std::string hint;
      for (std::uint32_t f = 0; f < g_.schema.fields.size() && hint.empty(); ++f) {
        const Type ft = g_.schema.fields[f].type;
        if (ft.base != Base::Row) continue;
        for (const auto& c : g_.tables[ft.ref].columns) {
          if (c.name == e.name.text) {
            hint = tr("« {} » est une colonne de la table {} : par exemple « {}.{} »",
                      "'{}' is a column of the table {}: for example '{}.{}'", c.name,
                      g_.tables[ft.ref].name, g_.schema.fields[f].name, c.name);
          }
        }
      }
      type_error(e,
                 tr("« .{} » s'applique à une ligne de table, pas à {}",
                    "'.{}' applies to a table row, not to {}", e.name.text, type_label(g_, t)),
                 hint);
      return error_node(e);
    }
    const auto& table = g_.tables[t.ref];
    std::uint32_t column = 0;
    for (; column < table.columns.size(); ++column) {
      if (table.columns[column].name == e.name.text) break;
    }
    if (column == table.columns.size()) {
      std::vector<std::string> names;
      for (const auto& c : table.columns) names.push_back(c.name);
      std::string hint =
          tr("colonnes de {} : {}", "columns of {}: {}", table.name, fmt::join(names, ", "));
      if (auto m = text::closest_match(e.name.text, names)) hint = did_you_mean(*m);
      sink_.error("E0107", e.name.range,
                  tr("la table {} n'a pas de colonne « {} »", "the table {} has no column '{}'",
                     table.name, e.name.text),
                  hint);
      return error_node(e);
    }
    Type ct = table.columns[column].type;
    if (ct.is_error()) return error_node(e);
    if (!t.set) {
      if (t.optional) {
        optional_error(base, t);
        return error_node(e);
      }
      return add_node({Op::Member, ct, operand, column, 0, 0, e.range});
    }
    // Over a set of rows: the union of a set column, or the collection of a scalar one.
    Type result = ct.element();
    result.set = true;
    if (result.base != Base::Enum && result.base != Base::Text) {
      type_error(e, tr("« .{} » sur un ensemble de lignes n'est possible que pour une "
                       "colonne de texte ou d'énumération",
                       "'.{}' on a set of rows is only possible for a text or enumeration column",
                       e.name.text));
      return error_node(e);
    }
    return add_node({Op::MemberOfSet, result, operand, column, 0, 0, e.range});
  }

  NodeId lower_call(const ast::Expr& e, const Narrowing& narrowing) {
    auto fn = builtin_function(e.name.text);
    if (!fn) {
      const auto names = builtin_function_names();
      std::optional<std::string> guess;
      for (const auto& known : names) {  // nombre_de → nombre, before any spelling distance
        if (e.name.text.rfind(known, 0) == 0) guess = known;
      }
      if (!guess) guess = text::closest_match(e.name.text, names);
      const std::string hint =
          guess ? did_you_mean(*guess)
                : tr("fonctions disponibles : {}", "available functions: {}",
                     current_lang() == Lang::En ? "rule_name, unrecognised, label, count"
                                                : fmt::format("{}", fmt::join(names, ", ")));
      sink_.error("E0108", e.name.range,
                  tr("fonction inconnue « {} »", "unknown function '{}'", e.name.text), hint);
      return error_node(e);
    }
    if (e.args.size() != 1) {
      // In English, the function as the author spelt it, with its argument in English.
      const std::string form =
          *fn == Builtin::RuleName   ? tr("nom_regle(décision)", "{}(decision)", e.name.text)
          : *fn == Builtin::Unknowns ? tr("non_reconnus(champ)", "{}(field)", e.name.text)
          : *fn == Builtin::Label    ? tr("libelle(valeur)", "{}(value)", e.name.text)
                                     : tr("nombre(ensemble)", "{}(set)", e.name.text);
      type_error(e,
                 tr("« {} » prend un seul argument, pas {}", "'{}' takes one argument, not {}",
                    e.name.text, e.args.size()),
                 tr("forme attendue : {}", "expected form: {}", form));
      return error_node(e);
    }
    const ast::Expr& arg = *e.args[0];
    switch (*fn) {
      case Builtin::RuleName:
      case Builtin::Unknowns: {
        auto it = arg.kind == ast::ExprKind::Name ? values_.find(arg.name.text) : values_.end();
        const bool want_decision = *fn == Builtin::RuleName;
        const auto kind = want_decision ? ValueName::Kind::Decision : ValueName::Kind::Field;
        if (it == values_.end() || it->second.kind != kind) {
          type_error(arg, want_decision
                              ? tr("« {} » attend le nom d'une décision",
                                   "'{}' expects the name of a decision", e.name.text)
                              : tr("« {} » attend un champ du schéma de type ensemble de "
                                   "lignes de table",
                                   "'{}' expects a schema field whose type is a set of table rows",
                                   e.name.text));
          return error_node(e);
        }
        if (want_decision) {
          ensure_decision(it->second.index, arg.range);
          return add_node({Op::RuleName, kText, it->second.index, 0, 0, 0, e.range});
        }
        const Type ft = g_.schema.fields[it->second.index].type;
        if (ft.base != Base::Row || !ft.set) {
          type_error(arg,
                     tr("« {} » attend un champ de type ensemble de lignes de table",
                        "'{}' expects a field whose type is a set of table rows", e.name.text));
          return error_node(e);
        }
        return add_node(
            {Op::Unknowns, {Base::Text, false, true, 0}, it->second.index, 0, 0, 0, e.range});
      }
      case Builtin::Label: {
        const NodeId operand = lower(arg, std::nullopt, narrowing);
        const Type t = g_.nodes[operand].type;
        if (t.is_error()) return error_node(e);
        if ((t.base != Base::Enum && t.base != Base::Row) || t.set) {
          type_error(arg, tr("« {} » attend une valeur d'énumération ou une ligne de table",
                             "'{}' expects an enumeration value or a table row", e.name.text));
          return error_node(e);
        }
        return add_node({Op::Label, {Base::Text, t.optional, false, 0}, operand, 0, 0, 0, e.range});
      }
      case Builtin::Count: {
        const NodeId operand = lower(arg, std::nullopt, narrowing);
        const Type t = g_.nodes[operand].type;
        if (t.is_error()) return error_node(e);
        if (!t.set) {
          type_error(arg, tr("« {} » attend un ensemble", "'{}' expects a set", e.name.text));
          return error_node(e);
        }
        return add_node({Op::Count, kInteger, operand, 0, 0, 0, e.range});
      }
    }
    return error_node(e);
  }

  NodeId lower_set(const ast::Expr& e, const std::optional<Type>& expected,
                   const Narrowing& narrowing) {
    if (expected && expected->is_error()) {
      // Unknown element type after an error: report only what is wrong in the items themselves.
      for (const auto& item : e.args) lower(*item, kError, narrowing);
      return error_node(e);
    }
    std::optional<Type> element;
    if (expected) element = expected->element();
    std::vector<NodeId> items;
    bool all_constant = true;
    bool failed = false;
    for (const auto& item : e.args) {
      // A label naming several rows ("Report modal") stands for all of them in a set.
      if (element && element->base == Base::Row && item->kind == ast::ExprKind::Literal &&
          item->literal.kind == ast::Literal::Kind::Text) {
        auto rows = table_rows(element->ref, {item->literal.text, item->range});
        if (rows.empty()) failed = true;
        for (auto r : rows) items.push_back(constant(Value::of_id(r), *element, item->range));
        continue;
      }
      const NodeId n = lower(*item, element, narrowing);
      Type t = g_.nodes[n].type;
      if (t.is_error()) {
        failed = true;
        continue;
      }
      if (!element) element = t.element();
      if (t.set || (t.base != Base::Enum && t.base != Base::Row)) {
        type_error(*item,
                   tr("un ensemble ne contient que des valeurs d'énumération ou des lignes de "
                      "table",
                      "a set holds only enumeration values or table rows"),
                   tr("pour comparer des textes, déclarez une énumération",
                      "to compare texts, declare an enumeration"));
        failed = true;
        continue;
      }
      if (t.optional) {
        optional_error(*item, t);
        failed = true;
        continue;
      }
      if (!comparable(t, *element)) {
        type_error(*item, tr("élément de type {} dans un ensemble de {}",
                             "element of type {} in a set of {}", type_label(g_, t),
                             type_label(g_, *element)));
        failed = true;
        continue;
      }
      all_constant = all_constant && g_.nodes[n].op == Op::Const;
      items.push_back(n);
    }
    if (failed) return error_node(e);
    if (!element) {
      type_error(e,
                 tr("ensemble vide dont le type ne peut pas être déduit",
                    "empty set whose type cannot be inferred"),
                 tr("écrivez « soit nom : ensemble de Type = {{}} »",
                    "write 'let name : set of Type = {{}}'"));
      return error_node(e);
    }
    Type type = *element;
    type.set = true;
    const std::size_t universe = element->base == Base::Enum ? g_.enums[element->ref].values.size()
                                                             : g_.tables[element->ref].rows.size();
    if (all_constant) {
      std::vector<std::uint64_t> words(graph::words_for(universe), 0);
      for (NodeId n : items) {
        const auto id = g_.constants[g_.nodes[n].a].id;
        words[id / 64] |= std::uint64_t{1} << (id % 64);
      }
      const auto count = static_cast<std::uint32_t>(words.size());
      return constant(Value::of_words(store_set(std::move(words)), count), type, e.range);
    }
    const auto first = static_cast<std::uint32_t>(g_.args.size());
    g_.args.insert(g_.args.end(), items.begin(), items.end());
    return add_node(
        {Op::SetOf, type, 0, 0, first, static_cast<std::uint32_t>(items.size()), e.range});
  }

  NodeId lower_unary(const ast::Expr& e, const Narrowing& narrowing) {
    const NodeId operand = lower(*e.args[0], std::nullopt, narrowing);
    const Type t = g_.nodes[operand].type;
    if (t.is_error()) return error_node(e);
    switch (e.unary_op) {
      case ast::UnaryOp::Not:
        if (t.base != Base::Boolean || t.set) {
          type_error(e, tr("« non » s'applique à une condition, pas à {}",
                           "'not' applies to a condition, not to {}", type_label(g_, t)));
          return error_node(e);
        }
        if (t.optional) {
          const ast::Expr& x = *e.args[0];
          optional_error(x, t,
                         x.kind == ast::ExprKind::Name
                             ? tr("pour « {0} vaut non », écrivez « {0} = non » (faux "
                                  "quand la réponse est absente)",
                                  "for '{0} is false', write '{0} = false' (false when the "
                                  "answer is missing)",
                                  x.name.text)
                             : std::string{});
          return error_node(e);
        }
        return add_node({Op::Not, kBool, operand, 0, 0, 0, e.range});
      case ast::UnaryOp::Negate:
        if (!t.numeric() || t.set || t.optional) {
          type_error(e, tr("« - » s'applique à un nombre renseigné, pas à {}",
                           "'-' applies to a number that is set, not to {}", type_label(g_, t)));
          return error_node(e);
        }
        return add_node({Op::Negate, t, operand, 0, 0, 0, e.range});
      case ast::UnaryOp::IsSet:
      case ast::UnaryOp::IsNotSet:
        if (!t.optional) {
          // Say what is always present: "le champ « maturite » (Maturite)".
          const ast::Expr& x = *e.args[0];
          const auto named =
              x.kind == ast::ExprKind::Name ? values_.find(x.name.text) : values_.end();
          std::string what = tr("cette valeur ({}) est toujours renseignée",
                                "this value ({}) is always set", type_label(g_, t));
          if (named != values_.end()) {
            const bool field = named->second.kind == ValueName::Kind::Field;
            const bool let = named->second.kind == ValueName::Kind::Let;
            what = tr("{} « {} » ({}) est toujours {}", "{} '{}' ({}) is always {}",
                      field ? tr("le champ", "the field")
                      : let ? tr("la définition", "the definition")
                            : tr("la décision", "the decision"),
                      x.name.text, type_label(g_, t),
                      field ? tr("renseigné", "set") : tr("renseignée", "set"));
          }
          const bool is_set = e.unary_op == ast::UnaryOp::IsSet;
          sink_.warning(
              "W0402", e.range,
              tr("{} : le test est toujours {}", "{}: the test is always {}", what,
                 is_set ? tr("vrai", "true") : tr("faux", "false")),
              t.set
                  ? tr("pour un ensemble, employez « est vide » ou « n'est pas vide »",
                       "for a set, use 'is empty' or 'is not empty'")
                  : tr("retirez ce test ; si la réponse peut manquer dans l'export, ajoutez « ? » "
                       "au type dans le schéma",
                       "remove this test; if the answer can be missing from the export, add '?' "
                       "to the type in the schema"));
        }
        return add_node({e.unary_op == ast::UnaryOp::IsSet ? Op::IsSet : Op::IsNotSet, kBool,
                         operand, 0, 0, 0, e.range});
      case ast::UnaryOp::IsEmpty:
      case ast::UnaryOp::IsNotEmpty:
        if (!t.set) {
          type_error(e,
                     tr("« est vide » s'applique à un ensemble, pas à {}",
                        "'is empty' applies to a set, not to {}", type_label(g_, t)),
                     tr("pour une valeur optionnelle, employez « est renseigné » ou « n'est pas "
                        "renseigné »",
                        "for an optional value, use 'is set' or 'is not set'"));
          return error_node(e);
        }
        return add_node({e.unary_op == ast::UnaryOp::IsEmpty ? Op::IsEmpty : Op::IsNotEmpty, kBool,
                         operand, 0, 0, 0, e.range});
    }
    return error_node(e);
  }

  NodeId lower_logic(const ast::Expr& e, const Narrowing& outer) {
    const bool is_and = e.kind == ast::ExprKind::And;
    Narrowing narrowing = outer;
    std::vector<NodeId> items;
    bool failed = false;
    for (const auto& arg : e.args) {
      const NodeId n = lower(*arg, kBool, narrowing);
      const Type t = g_.nodes[n].type;
      if (t.is_error()) {
        failed = true;
      } else if (t.base != Base::Boolean || t.set) {
        type_error(*arg,
                   tr("« {} » relie des conditions, or cette expression est de type {}",
                      "'{}' joins conditions, but this expression is of type {}",
                      is_and ? tr("et", "and") : tr("ou", "or"), type_label(g_, t)),
                   quoted_name_hint(*arg));
        failed = true;
      } else if (t.optional) {
        optional_error(*arg, t);
        failed = true;
      }
      // In `x est renseigné et …` (or `x n'est pas renseigné ou …`) x is present afterwards:
      // what follows an `et`'s operand runs only when it holds, an `ou`'s when it fails.
      guards_of(g_, n, is_and, narrowing);
      items.push_back(n);
    }
    if (failed) return error_node(e);
    const auto first = static_cast<std::uint32_t>(g_.args.size());
    g_.args.insert(g_.args.end(), items.begin(), items.end());
    return add_node({is_and ? Op::And : Op::Or, kBool, 0, 0, first,
                     static_cast<std::uint32_t>(items.size()), e.range});
  }

  // Incompatible operands of a binary operator, with what the author probably meant.
  void report_mismatch(const ast::Expr& e, const Type& lt, const Type& rt) {
    using B = ast::BinaryOp;
    const ast::Expr& lhs_e = *e.args[0];
    const ast::Expr& rhs_e = *e.args[1];
    const bool in = e.binary_op == B::In || e.binary_op == B::NotIn;
    const std::string op = e.binary_op == B::In ? tr("dans", "in") : tr("pas dans", "not in");
    if (in && !rt.set) {
      type_error(e,
                 tr("« {} » attend un ensemble à droite, pas {}",
                    "'{}' expects a set on its right, not {}", op, type_label(g_, rt)),
                 tr("pour une seule valeur, employez « {} » ; pour plusieurs, écrivez-les "
                    "entre accolades : « {} {{a, b}} »",
                    "for a single value, use '{}'; for several, write them between braces: "
                    "'{} {{a, b}}'",
                    e.binary_op == B::In ? "=" : "≠", op));
      return;
    }
    if (e.binary_op == B::Contains && !lt.set) {
      type_error(e,
                 tr("« contient » attend un ensemble à gauche, pas {}",
                    "'contains' expects a set on its left, not {}", type_label(g_, lt)),
                 tr("pour comparer une seule valeur, employez « = »",
                    "to compare a single value, use '='"));
      return;
    }
    if ((e.binary_op == B::Eq || e.binary_op == B::Ne) && lt.set && rt.set) {
      // Set equality is not offered (language.md): what it would say is written otherwise.
      type_error(e,
                 tr("« {} » ne compare pas deux ensembles", "'{}' does not compare two sets",
                    e.binary_op == B::Eq ? "=" : "≠"),
                 set_equality_hint(lhs_e, rhs_e, e.binary_op == B::Eq));
      return;
    }
    const bool ordering = e.binary_op == B::Lt || e.binary_op == B::Le || e.binary_op == B::Gt ||
                          e.binary_op == B::Ge;
    if (ordering && !lt.set && !rt.set && comparable(lt, rt)) {
      // Values of one kind without an order: enumeration values, table rows, booleans.
      type_error(e,
                 tr("les valeurs de {} ne sont pas ordonnées : « < », « ≤ », « > » et « ≥ » "
                    "comparent des nombres, des dates ou des textes",
                    "values of {} have no order: '<', '≤', '>' and '≥' compare numbers, dates "
                    "or texts",
                    type_label(g_, lt.required())),
                 tr("comparez avec « = » ou « ≠ », ou testez « dans {{a, b}} »",
                    "compare with '=' or '≠', or test 'in {{a, b}}'"));
      return;
    }
    // `soit horizon = 31/12/2025` then `date_demarrage <= horizon`: the mistake is in the
    // definition's value; the hints look at it rather than at its name.
    const ast::LetDecl* def_l = constant_let(lhs_e);
    const ast::LetDecl* def_r = def_l == nullptr ? constant_let(rhs_e) : nullptr;
    const ast::Expr& lhs_x = def_l != nullptr ? *def_l->value : lhs_e;
    const ast::Expr& rhs_x = def_r != nullptr ? *def_r->value : rhs_e;
    std::string hint;
    auto is_text_literal = [](const ast::Expr& x) {
      return x.kind == ast::ExprKind::Literal && x.literal.kind == ast::Literal::Kind::Text;
    };
    if ((lt.base == Base::Date && rt.numeric()) || (rt.base == Base::Date && lt.numeric())) {
      hint = tr("une date s'écrit AAAA-MM-JJ, par exemple 2025-12-31",
                "a date is written YYYY-MM-DD, for example 2025-12-31");
    } else if ((lt.base == Base::Date && is_text_literal(rhs_x)) ||
               (rt.base == Base::Date && is_text_literal(lhs_x))) {
      hint = tr("une date s'écrit sans guillemets, AAAA-MM-JJ : par exemple 2025-12-31",
                "a date is written without quotes, YYYY-MM-DD: for example 2025-12-31");
    } else if ((lt.base == Base::Boolean && is_text_literal(rhs_x)) ||
               (rt.base == Base::Boolean && is_text_literal(lhs_x))) {
      hint = tr("oui et non s'écrivent sans guillemets, par exemple « impact = oui »",
                "yes and no are written without quotes, for example 'impact = yes'");
    } else if (lt.set && !rt.set && rt.numeric()) {
      hint = lhs_e.kind == ast::ExprKind::Name
                 ? tr("pour compter les éléments, écrivez « nombre({}) »",
                      "to count the elements, write 'count({})'", lhs_e.name.text)
                 : tr("pour compter les éléments d'un ensemble, employez nombre(…)",
                      "to count the elements of a set, use count(…)");
    } else if (lt.set != rt.set) {
      hint = tr("un ensemble se teste avec « contient », « dans », « est vide » ou nombre(…)",
                "a set is tested with 'contains', 'in', 'is empty' or count(…)");
    }
    if (const ast::LetDecl* def = def_l != nullptr ? def_l : def_r) {
      report_at_definition(*def, e, def_l != nullptr ? lt : rt, def_l != nullptr ? rt : lt, hint);
      return;
    }
    type_error(e,
               tr("types incompatibles : {} et {}", "incompatible types: {} and {}",
                  type_label(g_, lt), type_label(g_, rt)),
               hint);
  }

  // The `soit` without a declared type that `e` names, when its value is written with
  // literals only (`31/12/2025`, `"2025-12-31"`), or null.
  const ast::LetDecl* constant_let(const ast::Expr& e) const {
    if (e.kind != ast::ExprKind::Name) return nullptr;
    auto it = values_.find(e.name.text);
    if (it == values_.end() || it->second.kind != ValueName::Kind::Let) return nullptr;
    const ast::LetDecl* d = let_decls_[it->second.index];
    if (d->type || d->value == nullptr || !literals_only(*d->value)) return nullptr;
    return d;
  }

  static bool literals_only(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Literal) return true;
    if (e.kind != ast::ExprKind::Binary && e.kind != ast::ExprKind::Unary) return false;
    return std::all_of(e.args.begin(), e.args.end(),
                       [](const auto& a) { return a != nullptr && literals_only(*a); });
  }

  // A constant definition whose value does not fit its use: reported once, at the value,
  // with a note at the (first) use.
  void report_at_definition(const ast::LetDecl& d, const ast::Expr& use, const Type& value,
                            const Type& other, const std::string& hint) {
    if (!constants_reported_.insert(d.name.text).second) return;
    Diagnostic diagnostic{Severity::Error,
                          "E0201",
                          d.value->range,
                          tr("la définition « {} » vaut {}, mais elle est employée avec {}",
                             "the definition '{}' is {}, but it is used with {}", d.name.text,
                             type_label(g_, value), type_label(g_, other)),
                          hint,
                          {}};
    diagnostic.notes.push_back({use.range, tr("employée ici", "used here")});
    sink_.report(std::move(diagnostic));
  }

  // `financements = {dsil, detr}`: one `contient` for each value, written out when the
  // set is a name and the other a set between braces.
  static std::string set_equality_hint(const ast::Expr& lhs, const ast::Expr& rhs, bool equal) {
    const ast::Expr* name = lhs.kind == ast::ExprKind::Name ? &lhs : &rhs;
    const ast::Expr* braces = lhs.kind == ast::ExprKind::SetLiteral ? &lhs : &rhs;
    const bool named = name->kind == ast::ExprKind::Name;
    if (named && braces->kind == ast::ExprKind::SetLiteral && braces->args.empty()) {
      return equal
                 ? tr("écrivez « {} est vide »", "write '{} is empty'", name->name.text)
                 : tr("écrivez « {} n'est pas vide »", "write '{} is not empty'", name->name.text);
    }
    std::string example;
    if (equal && named && braces->kind == ast::ExprKind::SetLiteral && !braces->args.empty() &&
        braces->args.size() <= 3) {
      for (const auto& member : braces->args) {
        const bool label = member->kind == ast::ExprKind::Literal &&
                           member->literal.kind == ast::Literal::Kind::Text;
        if (member->kind != ast::ExprKind::Name && !label) {
          example.clear();
          break;
        }
        if (!example.empty()) example += tr(" et ", " and ");
        example += tr("{} contient {}", "{} contains {}", name->name.text,
                      label ? "\"" + member->literal.text + "\"" : member->name.text);
      }
    }
    if (example.empty()) {
      return tr("testez chaque valeur avec « contient », le nombre d'éléments avec nombre(…)",
                "test each value with 'contains', the number of members with count(…)");
    }
    return tr(
        "testez chaque valeur avec « contient » : « {} » (ajoutez « et nombre({}) = {} » "
        "pour exclure les autres)",
        "test each value with 'contains': '{}' (add 'and count({}) = {}' to rule out "
        "the others)",
        example, name->name.text, braces->args.size());
  }

  // "Avant-projet" written without quotes reads as `Avant - projet`: the words of a
  // chain of `-` between names with no space around, or nothing.
  static std::optional<std::string> hyphenated_words(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Name) return e.name.text;
    if (e.kind != ast::ExprKind::Binary || e.binary_op != ast::BinaryOp::Sub) return std::nullopt;
    const ast::Expr& l = *e.args[0];
    const ast::Expr& r = *e.args[1];
    if (r.kind != ast::ExprKind::Name || l.range.end_line != r.range.line ||
        l.range.end_column + 2 != r.range.column) {
      return std::nullopt;
    }
    auto left = hyphenated_words(l);
    if (!left) return std::nullopt;
    return *left + "-" + r.name.text;
  }

  NodeId lower_binary(const ast::Expr& e, const Narrowing& narrowing) {
    using B = ast::BinaryOp;
    const ast::Expr& lhs_e = *e.args[0];
    const ast::Expr& rhs_e = *e.args[1];
    if (e.binary_op == B::Sub && schema_decl_ != nullptr) {
      const ast::Expr* first = &lhs_e;
      while (first->kind == ast::ExprKind::Binary) first = first->args[0].get();
      auto words = hyphenated_words(e);
      if (words && values_.count(first->name.text) == 0) {
        sink_.error("E0101", e.range, tr("nom inconnu « {} »", "unknown name '{}'", *words),
                    tr("pour désigner le libellé « {0} », écrivez-le entre guillemets : "
                       "\"{0}\"",
                       "to refer to the label '{0}', write it between quotes: \"{0}\"", *words));
        return error_node(e);
      }
    }
    NodeId lhs = 0;
    NodeId rhs = 0;
    const bool membership = e.binary_op == B::In || e.binary_op == B::NotIn;
    // A bare name on the left that names nothing declared may be a value whose type the
    // right gives (`travaux = maturite`, `travaux dans chantiers`): the right is lowered
    // first, when it can be without the left (a declared name, not a set of bare names).
    auto unknown_name = [&](const ast::Expr& x) {
      return x.kind == ast::ExprKind::Name && values_.count(x.name.text) == 0;
    };
    const bool label_left =
        lhs_e.kind == ast::ExprKind::Literal && lhs_e.literal.kind == ast::Literal::Kind::Text;
    if (membership && (label_left || (unknown_name(lhs_e) && rhs_e.kind == ast::ExprKind::Name &&
                                      !unknown_name(rhs_e)))) {
      // `"Vélo" dans leviers`, `travaux dans chantiers`: a row (or a value) of the set's
      // element type.
      rhs = lower(rhs_e, std::nullopt, narrowing);
      const Type set = g_.nodes[rhs].type;
      std::optional<Type> lhs_expected;
      if (set.is_error()) {
        lhs_expected = kError;
      } else if (set.set && (set.base == Base::Enum || set.base == Base::Row)) {
        lhs_expected = set.element();
      }
      lhs = lower(lhs_e, lhs_expected, narrowing);
    } else if ((e.binary_op == B::Eq || e.binary_op == B::Ne) && unknown_name(lhs_e) &&
               !unknown_name(rhs_e)) {
      rhs = lower(rhs_e, std::nullopt, narrowing);
      const Type right = g_.nodes[rhs].type;
      lhs = lower(lhs_e, right.is_error() ? std::optional<Type>(kError) : right.required(),
                  narrowing);
    } else {
      lhs = lower(lhs_e, std::nullopt, narrowing);
      const Type left = g_.nodes[lhs].type;
      std::optional<Type> rhs_expected = kError;  // silent bare names after an error
      if (!left.is_error()) {
        switch (e.binary_op) {
          case B::In:
          case B::NotIn:
            rhs_expected = Type{left.base, false, true, left.ref};
            break;
          case B::Contains:
            rhs_expected = left.element();
            break;
          default:
            rhs_expected = left.required();
            break;
        }
      }
      rhs = lower(rhs_e, rhs_expected, narrowing);
    }
    const Type lt = g_.nodes[lhs].type;
    const Type rt = g_.nodes[rhs].type;
    if (lt.is_error() || rt.is_error()) return error_node(e);
    auto mismatch = [&]() {
      report_mismatch(e, lt, rt);
      return error_node(e);
    };
    auto binary = [&](Op op, Type t) { return add_node({op, t, lhs, rhs, 0, 0, e.range}); };

    switch (e.binary_op) {
      case B::Eq:
      case B::Ne: {
        if (lt.set || rt.set || !comparable(lt, rt)) return mismatch();
        // `x = v` on a missing x is false; `≠` would have to guess, so it needs a guard.
        if (e.binary_op == B::Ne && (lt.optional || rt.optional)) {
          const ast::Expr& x = lt.optional ? lhs_e : rhs_e;
          optional_error(x, lt.optional ? lt : rt,
                         x.kind == ast::ExprKind::Name
                             ? tr("« ≠ » ne peut pas dire si une réponse absente est "
                                  "différente : écrivez « {0} est renseigné et {0} ≠ … »",
                                  "'≠' cannot tell whether a missing answer is different: "
                                  "write '{0} is set and {0} ≠ …'",
                                  x.name.text)
                             : std::string{});
          return error_node(e);
        }
        return binary(e.binary_op == B::Eq ? Op::Eq : Op::Ne, kBool);
      }
      case B::Lt:
      case B::Le:
      case B::Gt:
      case B::Ge: {
        if (lt.set || rt.set || !comparable(lt, rt) ||
            !(lt.numeric() || lt.base == Base::Date || lt.base == Base::Text)) {
          return mismatch();
        }
        if (lt.optional || rt.optional) {
          optional_error(lt.optional ? lhs_e : rhs_e, lt.optional ? lt : rt);
          return error_node(e);
        }
        const Op op = e.binary_op == B::Lt   ? Op::Lt
                      : e.binary_op == B::Le ? Op::Le
                      : e.binary_op == B::Gt ? Op::Gt
                                             : Op::Ge;
        return binary(op, kBool);
      }
      case B::In:
      case B::NotIn: {
        if (lt.set || !rt.set || !comparable(lt.element(), rt.element()) ||
            (lt.base != Base::Enum && lt.base != Base::Row)) {
          return mismatch();
        }
        if (rt.optional || (lt.optional && e.binary_op == B::NotIn)) {
          optional_error(rt.optional ? rhs_e : lhs_e, rt.optional ? rt : lt);
          return error_node(e);
        }
        return binary(e.binary_op == B::In ? Op::In : Op::NotIn, kBool);
      }
      case B::Contains: {
        if (!lt.set || rt.set || !comparable(lt.element(), rt.element())) return mismatch();
        if (lt.optional || rt.optional) {
          optional_error(lt.optional ? lhs_e : rhs_e, lt.optional ? lt : rt);
          return error_node(e);
        }
        return binary(Op::Contains, kBool);
      }
      case B::Default: {
        if (!lt.optional) {
          sink_.warning("W0402", lhs_e.range,
                        tr("cette valeur est toujours renseignée : « par défaut » ne sert à rien",
                           "this value is always set: 'default' is useless"),
                        tr("retirez « par défaut … »", "remove 'default …'"));
        }
        if (!assignable(rt, lt.required()) && !comparable(lt, rt)) return mismatch();
        if (rt.optional) {
          optional_error(rhs_e, rt);
          return error_node(e);
        }
        Type t = lt.required();
        if (rt.base == Base::Decimal) t.base = Base::Decimal;
        return binary(Op::Default, t);
      }
      case B::Add:
      case B::Sub:
      case B::Mul:
      case B::Div: {
        if (!lt.numeric() || !rt.numeric() || lt.set || rt.set) return mismatch();
        if (lt.optional || rt.optional) {
          optional_error(lt.optional ? lhs_e : rhs_e, lt.optional ? lt : rt);
          return error_node(e);
        }
        const bool decimal =
            lt.base == Base::Decimal || rt.base == Base::Decimal || e.binary_op == B::Div;
        const Type t{decimal ? Base::Decimal : Base::Integer};
        const Op op = e.binary_op == B::Add   ? Op::Add
                      : e.binary_op == B::Sub ? Op::Sub
                      : e.binary_op == B::Mul ? Op::Mul
                                              : Op::Div;
        return binary(op, t);
      }
    }
    return error_node(e);
  }

  graph::RuleGraph& g_;
  DiagnosticSink& sink_;
  std::map<std::string, TypeName> types_;
  std::map<std::string, ValueName> values_;
  std::set<std::string> constants_reported_;         // report_at_definition, once per definition
  std::map<std::string, SourceRange> output_names_;  // of every `sortie` block
  const ast::SchemaDecl* schema_decl_ = nullptr;
  std::vector<const ast::TableDecl*> table_decls_;
  std::vector<const ast::LetDecl*> let_decls_;
  std::vector<State> let_state_;
  std::vector<bool> let_used_;
  std::vector<const ast::DecisionDecl*> decision_decls_;
  std::vector<State> decision_state_;
  std::vector<std::pair<std::string, SourceRange>> path_;  // definitions being checked
};

}  // namespace

std::unique_ptr<graph::RuleGraph> check(const std::vector<ast::File>& files,
                                        std::shared_ptr<const SourceSet> sources,
                                        DiagnosticSink& sink) {
  auto g = std::make_unique<graph::RuleGraph>();
  g->sources = std::move(sources);
  // A syntax error leaves a hole in the AST (a file, a declaration or a rule dropped
  // by error recovery): checking the rest would report names declared in the hole
  // as unknown, a decision without its `sinon`, a file without its schema. Like Go,
  // report every syntax error of every file, and check meaning once they all parse.
  // Syntax and file errors are E00xx; only E0007 (a bad date or number literal)
  // leaves the tree whole.
  const auto& reported = sink.all();
  if (std::any_of(reported.begin(), reported.end(), [](const Diagnostic& d) {
        return d.severity == Severity::Error && d.code.rfind("E00", 0) == 0 && d.code != "E0007";
      })) {
    return g;
  }
  Checker(*g, sink).run(files);
  return g;
}

}  // namespace tamis::sema
