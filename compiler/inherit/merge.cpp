#include "compiler/inherit/merge.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <unordered_map>

#include "support/lang.hpp"
#include "support/text.hpp"

namespace tamis::inherit {

namespace {

using ast::Change;

// A kind of declaration as messages name it, with its article, in French and English.
struct Thing {
  const char* fr;
  const char* en;
  const char* name() const { return current_lang() == Lang::En ? en : fr; }
};
const Thing kEnum{"l'énumération", "the enumeration"};
const Thing kValue{"la valeur", "the value"};
const Thing kSchema{"le schéma", "the schema"};
const Thing kField{"le champ", "the field"};
const Thing kTable{"la table", "the table"};
const Thing kRow{"la ligne", "the row"};
const Thing kLet{"la définition", "the definition"};
const Thing kDecision{"la décision", "the decision"};
const Thing kRule{"la règle", "the rule"};
const Thing kFallback{"le « sinon » de la décision", "the 'otherwise' of the decision"};
const Thing kOutput{"la sortie", "the output"};

std::string name_of(const ast::LetDecl& d) {
  return d.name.text;
}
std::string name_of(const ast::EnumDecl& d) {
  return d.name.text;
}
std::string name_of(const ast::TableDecl& d) {
  return d.name.text;
}
std::string name_of(const ast::SchemaDecl& d) {
  return d.name.text;
}
std::string name_of(const ast::DecisionDecl& d) {
  return d.name.text;
}
std::string name_of(const ast::EnumValueDecl& d) {
  return d.name.text;
}
std::string name_of(const ast::FieldDecl& d) {
  return d.name.text;
}
std::string name_of(const ast::RuleDecl& d) {
  return d.name.text;
}
// Table rows are named by their key, compared as labels are (case and accents ignored).
std::string name_of(const ast::TableRow& d) {
  return text::normalize_label(d.key.text);
}

const ast::Name& display_name(const ast::TableRow& d) {
  return d.key;
}
template <typename Decl>
const ast::Name& display_name(const Decl& d) {
  return d.name;
}

// Declarations of one kind with the level each came from.
template <typename Decl>
struct Layer {
  std::vector<Decl> items;
  std::vector<std::size_t> levels;
  // Name → index of the first item of that name (10,000 definitions: no linear search each).
  std::unordered_map<std::string, std::size_t> first;

  std::optional<std::size_t> find(const std::string& name) const {
    if (auto it = first.find(name); it != first.end()) return it->second;
    return std::nullopt;
  }
  void push_back(Decl d, std::size_t level) {
    first.emplace(name_of(d), items.size());  // keeps an earlier item of the same name
    items.push_back(std::move(d));
    levels.push_back(level);
  }
  void erase(std::size_t i) {
    items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
    levels.erase(levels.begin() + static_cast<std::ptrdiff_t>(i));
    reindex();
  }
  void reindex() {
    first.clear();
    for (std::size_t i = 0; i < items.size(); ++i) first.emplace(name_of(items[i]), i);
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& d : items) out.push_back(display_name(d).text);
    return out;
  }
};

class Merger {
 public:
  explicit Merger(DiagnosticSink& sink) : sink_(sink) {}

  ast::File run(std::vector<std::vector<ast::File>> levels) {
    for (std::size_t level = 0; level < levels.size(); ++level) {
      level_ = level;
      for (auto& file : levels[level]) apply(std::move(file));
    }
    ast::File out;
    out.rule_sets = std::move(rule_sets_);
    out.enums = std::move(enums_.items);
    out.schemas = std::move(schemas_.items);
    out.tables = std::move(tables_.items);
    out.lets = std::move(lets_.items);
    out.decisions = std::move(decisions_.items);
    out.outputs = std::move(outputs_.items);
    out.summaries = std::move(summaries_);
    out.tests = std::move(tests_);
    return out;
  }

 private:
  void apply(ast::File file) {
    // The rule set being compiled names itself; its ancestors' names are history.
    for (auto& d : file.rule_sets) {
      if (level_ > 0 && !rule_sets_.empty() && rule_set_level_ < level_) rule_sets_.clear();
      rule_set_level_ = level_;
      rule_sets_.push_back(std::move(d));
    }
    for (auto& d : file.enums) {
      if (d.change == Change::Extend) {
        extend(enums_, std::move(d), kEnum, [this](ast::EnumDecl& into, ast::EnumDecl&& from) {
          merge_members(into.values, std::move(from.values), kValue);
        });
      } else {
        declare(enums_, std::move(d), kEnum);
      }
    }
    for (auto& d : file.schemas) {
      if (d.change == Change::Extend) {
        extend(schemas_, std::move(d), kSchema,
               [this](ast::SchemaDecl& into, ast::SchemaDecl&& from) {
                 merge_members(into.fields, std::move(from.fields), kField);
               });
      } else {
        declare(schemas_, std::move(d), kSchema);
      }
    }
    for (auto& d : file.tables) {
      if (d.change == Change::Extend) {
        extend(tables_, std::move(d), kTable, [this](ast::TableDecl& into, ast::TableDecl&& from) {
          merge_members(into.rows, std::move(from.rows), kRow);
        });
      } else {
        for (const auto& row : d.rows) reject_change_outside_extension(row.change, row.range);
        declare(tables_, std::move(d), kTable);
      }
    }
    for (auto& d : file.lets) declare(lets_, std::move(d), kLet);
    for (auto& d : file.decisions) {
      if (d.change == Change::Extend) {
        extend(decisions_, std::move(d), kDecision,
               [this](ast::DecisionDecl& into, ast::DecisionDecl&& from) {
                 merge_members(into.rules, std::move(from.rules), kRule);
                 if (from.fallback) {
                   if (into.fallback && from.fallback->change != Change::Replace) {
                     shadow_warning(kFallback, from.fallback->name, into.fallback->range);
                   }
                   into.fallback = std::move(from.fallback);
                 }
               });
      } else {
        for (const auto& rule : d.rules) reject_change_outside_extension(rule.change, rule.range);
        declare(decisions_, std::move(d), kDecision);
      }
    }
    for (auto& d : file.outputs) {
      if (!outputs_.items.empty() && outputs_.levels.back() < level_) {
        if (d.change != Change::Replace)
          shadow_warning(kOutput, {tr("sortie", "output"), d.range}, outputs_.items.back().range);
        outputs_.items.clear();
        outputs_.levels.clear();
      } else if (d.change == Change::Replace) {
        missing_parent(kOutput, {tr("sortie", "output"), d.range}, {});
        continue;
      }
      outputs_.items.push_back(std::move(d));  // outputs have no name: never looked up
      outputs_.levels.push_back(level_);
    }
    for (auto& d : file.summaries) summaries_.push_back(std::move(d));
    // Tests are inherited; a child's test of the same name replaces the parent's
    // (a rule change may rightly change what a test expects).
    for (auto& d : file.tests) {
      auto it = std::find_if(tests_.begin(), tests_.end(),
                             [&](const auto& t) { return t.name.text == d.name.text; });
      if (it != tests_.end() &&
          level_ > test_levels_[static_cast<std::size_t>(it - tests_.begin())]) {
        test_levels_[static_cast<std::size_t>(it - tests_.begin())] = level_;
        *it = std::move(d);
      } else {
        tests_.push_back(std::move(d));
        test_levels_.push_back(level_);
      }
    }
  }

  // ---- whole declarations

  template <typename Decl>
  void declare(Layer<Decl>& layer, Decl d, const Thing& what) {
    const auto existing = layer.find(name_of(d));
    const bool inherited = existing && layer.levels[*existing] < level_;
    bool replaces = false;  // values and fields have no `remplace`: redeclaring is shadowing
    if constexpr (requires { d.change; }) {
      replaces = d.change == Change::Replace;
      if (replaces && !inherited) {
        missing_parent(what, display_name(d), layer.names());
        d.change = Change::Declare;
      }
    }
    if (inherited) {
      if (!replaces) shadow_warning(what, display_name(d), layer.items[*existing].range);
      layer.items[*existing] = std::move(d);
      layer.levels[*existing] = level_;
      return;
    }
    // A same-level duplicate stays: the checker reports it with both positions.
    layer.push_back(std::move(d), level_);
  }

  template <typename Decl, typename Merge>
  void extend(Layer<Decl>& layer, Decl d, const Thing& what, Merge merge) {
    const auto existing = layer.find(name_of(d));
    if (!existing) {
      missing_parent(what, display_name(d), layer.names());
      return;
    }
    merge(layer.items[*existing], std::move(d));
  }

  // ---- members of an extended declaration (values, fields, rows, rules)

  template <typename Member>
  void merge_members(std::vector<Member>& into, std::vector<Member> from, const Thing& what) {
    Layer<Member> layer;
    layer.items = std::move(into);
    layer.levels.assign(layer.items.size(), 0);  // all inherited
    layer.reindex();
    const std::size_t saved = level_;
    level_ = 1;
    for (auto& m : from) {
      if constexpr (requires { m.change; }) {
        if (m.change == Change::Remove) {
          auto existing = layer.find(name_of(m));
          if (!existing) {
            missing_parent(what, display_name(m), layer.names());
            continue;
          }
          layer.erase(*existing);
          continue;
        }
      }
      declare(layer, std::move(m), what);
    }
    level_ = saved;
    into = std::move(layer.items);
  }

  // ---- diagnostics

  void reject_change_outside_extension(Change change, SourceRange range) {
    if (change == Change::Declare) return;
    sink_.error("E0503", range,
                tr("« remplace » et « retire » ne s'emploient que dans un bloc « complète »",
                   "'replace' and 'remove' are only used in an 'extend' block"),
                tr("écrivez « complète table … {{ … }} » ou « complète décision … {{ … }} »",
                   "write 'extend table … {{ … }}' or 'extend decision … {{ … }}'"));
  }

  void missing_parent(const Thing& what, const ast::Name& name,
                      const std::vector<std::string>& candidates) {
    std::string hint;
    if (auto m = text::closest_match(name.text, candidates)) {
      hint = tr("vouliez-vous dire « {} » ?", "did you mean '{}'?", *m);
    } else if (level_ == 0) {
      hint =
          tr("ce jeu de règles n'en étend aucun autre : déclarez-le simplement, ou ajoutez « étend "
             "\"…\" »",
             "this rule set extends no other: simply declare it, or add 'extends \"…\"'");
    } else {
      hint =
          tr("sans « remplace », « complète » ou « retire », la déclaration est simplement "
             "ajoutée",
             "without 'replace', 'extend' or 'remove', the declaration is simply added");
    }
    sink_.error("E0501", name.range,
                tr("{} « {} » n'existe pas dans le jeu de règles parent",
                   "{} '{}' does not exist in the parent rule set", what.name(), name.text),
                hint);
  }

  void shadow_warning(const Thing& what, const ast::Name& name, SourceRange parent) {
    Diagnostic d{Severity::Warning,
                 "W0502",
                 name.range,
                 tr("{} « {} » masque la déclaration du jeu de règles parent",
                    "{} '{}' hides the declaration of the parent rule set", what.name(), name.text),
                 tr("écrivez « remplace » devant pour dire que c'est voulu",
                    "write 'replace' in front of it to say that this is intended"),
                 {}};
    d.notes.push_back({parent, tr("déclaration du parent", "declaration of the parent")});
    sink_.report(std::move(d));
  }

  DiagnosticSink& sink_;
  std::size_t level_ = 0;
  std::vector<ast::RuleSetDecl> rule_sets_;
  std::size_t rule_set_level_ = 0;
  Layer<ast::EnumDecl> enums_;
  Layer<ast::SchemaDecl> schemas_;
  Layer<ast::TableDecl> tables_;
  Layer<ast::LetDecl> lets_;
  Layer<ast::DecisionDecl> decisions_;
  Layer<ast::OutputDecl> outputs_;
  std::vector<ast::SummaryDecl> summaries_;
  std::vector<ast::TestDecl> tests_;
  std::vector<std::size_t> test_levels_;
};

}  // namespace

ast::File merge(std::vector<std::vector<ast::File>> levels, DiagnosticSink& sink) {
  return Merger(sink).run(std::move(levels));
}

}  // namespace tamis::inherit
