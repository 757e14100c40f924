#include "compiler/format/layout.hpp"

#include <functional>
#include <stdexcept>
#include <string>

#include "compiler/format/align.hpp"
#include "compiler/format/expr.hpp"
#include "compiler/format/spelling.hpp"
#include "support/lang.hpp"

namespace tamis::format {
namespace {

// Alignment gaps: a label one space after the name, later columns two spaces apart.
const std::vector<int> kEnumGaps = {0, 1, 2, 2};
const std::vector<int> kSchemaGaps = {0, 1, 2};
const std::vector<int> kNameValueGaps = {0, 1};

class Layout {
 public:
  explicit Layout(Cursor& c) : c_(c) {}

  Doc file() {
    Doc out;
    bool first = true;
    while (!c_.at_end()) {
      // Exactly one blank line between declarations, before their comments.
      append(out, c_.item_start(c_.position(), !first));
      append(out, declaration());
      append(out, hardline());
      first = false;
    }
    const std::size_t end = c_.position();
    append(out, c_.item_start(end, !first && c_.blank_before(end)));
    return out;
  }

 private:
  using Build = std::function<Doc()>;

  Doc declaration() {
    std::size_t ahead = 0;
    if (c_.at_kw(Kw::Extend) || c_.at_kw(Kw::Replace)) ahead = 1;
    const Token& t = c_.peek(ahead);
    if (t.kind == TokKind::Keyword) {
      switch (t.kw) {
        case Kw::Ruleset:
          return rule_set();
        case Kw::Enum:
          return enumeration();
        case Kw::Schema:
          return schema();
        case Kw::Table:
          return table();
        case Kw::Let:
          return let();
        case Kw::Decision:
          return decision();
        case Kw::Output:
          return output();
        case Kw::Summary:
          return summary();
        case Kw::Test:
          return test();
        default:
          break;
      }
    }
    throw std::runtime_error(
        tr("déclaration attendue ligne {}", "declaration expected line {}", t.line));
  }

  // ---- small pieces

  // `kw` and what follows it, space-separated (remplace, complète, retire prefixes).
  Doc words(const std::vector<std::size_t>& tokens) {
    Doc d;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (i > 0) append(d, space());
      append(d, c_.tok(tokens[i]));
    }
    return d;
  }

  std::vector<std::size_t> optional_change() {
    std::vector<std::size_t> out;
    if (c_.at_kw(Kw::Extend) || c_.at_kw(Kw::Replace) || c_.at_kw(Kw::Remove))
      out.push_back(c_.take());
    return out;
  }

  // typeRef: `ensemble de Nom` or `Nom` `?`.
  Build type_ref() {
    if (c_.at_kw(Kw::SetOf)) {
      const std::size_t set = c_.take();
      const std::size_t name = c_.take(TokKind::Ident);
      return [this, set, name] { return cat({c_.tok(set), space(), type_name(name)}); };
    }
    const std::size_t name = c_.take(TokKind::Ident);
    std::optional<std::size_t> optional;
    if (c_.at_punct("?")) optional = c_.take();
    return [this, name, optional] {
      Doc d = type_name(name);
      if (optional) append(d, c_.tok(*optional));
      return d;
    };
  }

  Doc type_name(std::size_t name) {
    return c_.tok_as(name, canonical_type_name(c_.token(name).text));
  }

  // alias "a", "b": the keyword and the strings with their commas.
  Build alias_list() {
    std::vector<std::size_t> tokens{c_.take_kw(Kw::Alias), c_.take(TokKind::String)};
    while (c_.at_punct(",")) {
      tokens.push_back(c_.take());
      tokens.push_back(c_.take(TokKind::String));
    }
    return [this, tokens] {
      Doc d = cat({c_.tok(tokens[0]), space(), c_.tok(tokens[1])});
      for (std::size_t i = 2; i + 1 < tokens.size(); i += 2) {
        append(d, c_.tok(tokens[i]));
        append(d, space());
        append(d, c_.tok(tokens[i + 1]));
      }
      return d;
    };
  }

  // `{` rows `}`: every row on its own line, indented; `{}` when empty.
  template <typename Rows>
  Doc block(std::size_t open, Rows rows_doc) {
    const std::size_t first = c_.position();
    Doc body = rows_doc();
    const std::size_t close = c_.take_punct("}");
    const bool empty = c_.position() - 1 == first;
    if (empty && !c_.has_leading(close)) return cat({c_.tok(open), c_.tok(close)});
    return cat({c_.tok(open), nest(kIndent, cat({std::move(body), c_.dangling(close, empty)})),
                hardline(), c_.tok(close)});
  }

  // Blank line and comments before a block item.
  Doc item_lead(bool first_in_block) {
    const std::size_t at = c_.position();
    return c_.item_start(at, !first_in_block && c_.blank_before(at));
  }

  // A clause on its own line: `si …`, `alors …`, `lignes …`: the keyword, then the
  // expression, which breaks under it; comments at the end of the line after it.
  Doc clause(std::size_t keyword, const Expr& e) {
    c_.hold_trailing(e.last);
    return cat({c_.tok(keyword), space(), nest(kIndent, expr_doc(c_, e)), c_.trailing(e.last)});
  }

  Doc clause_line(Kw kw) {
    Doc lead = item_lead(false);
    const std::size_t keyword = c_.take_kw(kw);
    const Expr e = parse_expr(c_);
    return cat({hardline(), std::move(lead), clause(keyword, e)});
  }

  // ---- declarations

  Doc rule_set() {
    std::vector<std::size_t> tokens{c_.take_kw(Kw::Ruleset), c_.take(TokKind::String)};
    if (c_.at_kw(Kw::Version)) {
      tokens.push_back(c_.take());
      tokens.push_back(c_.take(TokKind::String));
    }
    if (c_.at_kw(Kw::Extends)) {
      tokens.push_back(c_.take());
      tokens.push_back(c_.take(TokKind::String));
    }
    return words(tokens);
  }

  Doc enumeration() {
    std::vector<std::size_t> head = optional_change();
    head.push_back(c_.take_kw(Kw::Enum));
    head.push_back(c_.take(TokKind::Ident));
    Doc d = words(head);
    append(d, space());
    const std::size_t open = c_.take_punct("{");
    append(d, block(open, [this] {
             std::vector<AlignedRow> rows;
             while (!c_.at_punct("}") && !c_.at_end()) {
               AlignedRow row;
               row.lead = item_lead(rows.empty());
               std::vector<Build> cells(4);
               const std::size_t name = c_.take(TokKind::Ident);
               cells[0] = [this, name] { return c_.tok(name); };
               if (c_.at(TokKind::String)) {
                 const std::size_t label = c_.take();
                 cells[1] = [this, label] { return c_.tok(label); };
               }
               if (c_.at_kw(Kw::Code)) {
                 std::vector<std::size_t> code{c_.take(), c_.take(TokKind::String)};
                 cells[2] = [this, code] { return words(code); };
               }
               if (c_.at_kw(Kw::Alias)) cells[3] = alias_list();
               finish_row(row, cells);
               rows.push_back(std::move(row));
             }
             return aligned_rows(std::move(rows), kEnumGaps);
           }));
    return d;
  }

  // Builds the cells of a row once it has been read, its trailing comments apart.
  void finish_row(AlignedRow& row, const std::vector<Build>& cells) {
    const std::size_t last = c_.position() - 1;
    c_.hold_trailing(last);
    for (const auto& build : cells) {
      if (build) {
        row.cells.emplace_back(build());
      } else {
        row.cells.emplace_back(std::nullopt);
      }
    }
    row.trailing = c_.trailing(last);
  }

  Doc schema() {
    std::vector<std::size_t> head = optional_change();
    head.push_back(c_.take_kw(Kw::Schema));
    head.push_back(c_.take(TokKind::Ident));
    Doc d = words(head);
    append(d, space());
    const std::size_t open = c_.take_punct("{");
    append(d, block(open, [this] {
             std::vector<AlignedRow> rows;
             while (!c_.at_punct("}") && !c_.at_end()) {
               AlignedRow row;
               row.lead = item_lead(rows.empty());
               std::vector<Build> cells(3);
               const std::size_t name = c_.take(TokKind::Ident);
               const std::size_t colon = c_.take_punct(":");
               Build type = type_ref();
               std::vector<std::size_t> column{c_.take_kw(Kw::Column), c_.take(TokKind::String)};
               cells[0] = [this, name] { return c_.tok(name); };
               cells[1] = [this, colon, type] { return cat({c_.tok(colon), space(), type()}); };
               cells[2] = [this, column] { return words(column); };
               finish_row(row, cells);
               rows.push_back(std::move(row));
             }
             return aligned_rows(std::move(rows), kSchemaGaps);
           }));
    return d;
  }

  Doc table() {
    std::vector<std::size_t> head = optional_change();
    head.push_back(c_.take_kw(Kw::Table));
    head.push_back(c_.take(TokKind::Ident));
    Doc d = words(head);
    if (c_.at_punct("(")) {
      append(d, space());
      append(d, table_columns(flat_width(d)));
    }
    append(d, space());
    const std::size_t open = c_.take_punct("{");
    append(d, block(open, [this] { return table_rows(); }));
    return d;
  }

  // `(nom : Type, …)` on the line of the table if it fits there, else one column a line.
  Doc table_columns(int before) {
    const std::size_t open = c_.take_punct("(");
    std::vector<AlignedRow> rows;
    while (true) {
      AlignedRow row;
      row.lead = item_lead(true);  // no blank lines between columns
      const std::size_t name = c_.take(TokKind::Ident);
      const std::size_t colon = c_.take_punct(":");
      Build type = type_ref();
      std::optional<std::size_t> comma;
      if (c_.at_punct(",")) comma = c_.take();
      std::vector<Build> cells(2);
      cells[0] = [this, name] { return c_.tok(name); };
      cells[1] = [this, colon, type, comma] {
        Doc t = cat({c_.tok(colon), space(), type()});
        if (comma) append(t, c_.tok(*comma));
        return t;
      };
      finish_row(row, cells);
      rows.push_back(std::move(row));
      if (!comma) break;
    }
    const std::size_t close = c_.take_punct(")");
    // Flat: `nom : Type, nom : Type`.
    Doc flat;
    bool hard = c_.has_leading(close);
    int width = before + 5;  // " (", ")" and " {"
    for (std::size_t i = 0; i < rows.size(); ++i) {
      hard = hard || rows[i].lead.hard || rows[i].trailing.hard || rows[i].cells[1]->hard;
      width += flat_width(*rows[i].cells[0]) + 1 + flat_width(*rows[i].cells[1]) + (i > 0 ? 1 : 0);
    }
    if (!hard && width <= kWidth) {
      for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i > 0) append(flat, space());
        append(flat, std::move(rows[i].lead));
        append(flat, std::move(*rows[i].cells[0]));
        append(flat, space());
        append(flat, std::move(*rows[i].cells[1]));
        append(flat, std::move(rows[i].trailing));
      }
      return cat({c_.tok(open), std::move(flat), c_.tok(close)});
    }
    return cat({c_.tok(open),
                nest(kIndent, cat({aligned_rows(std::move(rows), kNameValueGaps),
                                   c_.dangling(close, false)})),
                hardline(), c_.tok(close)});
  }

  struct TableRow {
    AlignedRow row;  // compact form: key | alias | cells…
    Doc key;         // long form pieces
    std::optional<Doc> aliases;
    Doc cells;
    bool has_cells = false;
  };

  // Rows aligned one per line when every row fits the width; else each row on up
  // to three lines: key, aliases, cells.
  Doc table_rows() {
    std::vector<TableRow> rows;
    std::size_t columns = 0;
    while (!c_.at_punct("}") && !c_.at_end()) {
      TableRow r;
      r.row.lead = item_lead(rows.empty());
      if (c_.at_kw(Kw::Remove)) {
        std::vector<std::size_t> tokens{c_.take(), c_.take(TokKind::String)};
        c_.hold_trailing(tokens.back());
        r.row.whole = words(tokens);
        r.row.trailing = c_.trailing(tokens.back());
        rows.push_back(std::move(r));
        continue;
      }
      std::vector<std::size_t> key = optional_change();
      key.push_back(c_.take(TokKind::String));
      Build aliases;
      if (c_.at_kw(Kw::Alias)) aliases = alias_list();
      std::vector<Build> cells;
      while (c_.at_punct("|")) {
        const std::size_t bar = c_.take();
        Build cell = table_cell();
        cells.push_back([this, bar, cell] { return cat({c_.tok(bar), space(), cell()}); });
      }
      const std::size_t last = c_.position() - 1;
      c_.hold_trailing(last);
      // Built once, copied into both forms: the form kept prints the comments.
      r.key = words(key);
      r.row.cells.emplace_back(r.key);
      if (aliases) {
        r.aliases = aliases();
        r.row.cells.emplace_back(*r.aliases);
      } else {
        r.row.cells.emplace_back(std::nullopt);
      }
      for (std::size_t i = 0; i < cells.size(); ++i) {
        Doc cell = cells[i]();
        if (i > 0) append(r.cells, space());
        append(r.cells, cell);
        r.row.cells.emplace_back(std::move(cell));
      }
      r.has_cells = !cells.empty();
      columns = std::max(columns, cells.size());
      r.row.trailing = c_.trailing(last);
      rows.push_back(std::move(r));
    }
    std::vector<int> gaps = {0, 1};
    gaps.resize(2 + columns, 1);
    std::vector<AlignedRow> compact;
    bool hard = false;
    for (const auto& r : rows) {
      compact.push_back(r.row);
      for (const auto& cell : r.row.cells) hard = hard || (cell && cell->hard);
      hard = hard || (r.row.whole && r.row.whole->hard);
    }
    if (!hard && kIndent + aligned_width(compact, gaps) <= kWidth) {
      return aligned_rows(std::move(compact), gaps);
    }
    Doc out;
    for (auto& r : rows) {
      append(out, hardline());
      append(out, std::move(r.row.lead));
      if (r.row.whole) {
        append(out, std::move(*r.row.whole));
      } else {
        Doc rest;
        if (r.aliases) append(rest, cat({hardline(), std::move(*r.aliases)}));
        if (r.has_cells) append(rest, cat({hardline(), std::move(r.cells)}));
        append(out, cat({std::move(r.key), nest(2 * kIndent, std::move(rest))}));
      }
      append(out, std::move(r.row.trailing));
    }
    return out;
  }

  // vide | literal | {a, "b"}
  Build table_cell() {
    if (c_.at_punct("{")) {
      std::vector<std::size_t> tokens{c_.take()};
      while (!c_.at_punct("}")) tokens.push_back(c_.take());
      tokens.push_back(c_.take());
      return [this, tokens] {
        Doc d;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
          const bool comma = c_.token(tokens[i]).text == ",";
          append(d, c_.tok(tokens[i]));
          if (comma) append(d, space());
        }
        return d;
      };
    }
    const std::size_t t = c_.take();
    return [this, t] { return c_.tok(t); };
  }

  Doc let() {
    std::vector<std::size_t> head = optional_change();
    head.push_back(c_.take_kw(Kw::Let));
    head.push_back(c_.take(TokKind::Ident));
    if (c_.at(TokKind::String)) head.push_back(c_.take());
    Doc d = words(head);
    if (c_.at_punct(":")) {
      const std::size_t colon = c_.take();
      Build type = type_ref();
      append(d, cat({space(), c_.tok(colon), space(), type()}));
    }
    append(d, space());
    append(d, c_.tok(c_.take_punct("=")));
    const Expr value = parse_expr(c_);
    c_.hold_trailing(value.last);
    if (is_simple_value(c_, value)) {
      append(d, space());
      append(d, expr_doc(c_, value));
    } else {
      append(d, nest(kIndent,
                     cat({hardline(), c_.item_start(value.first, false), expr_doc(c_, value)})));
    }
    append(d, c_.trailing(value.last));
    return d;
  }

  Doc decision() {
    std::vector<std::size_t> head = optional_change();
    const bool extend = !head.empty() && c_.token(head[0]).kw == Kw::Extend;
    head.push_back(c_.take_kw(Kw::Decision));
    head.push_back(c_.take(TokKind::Ident));
    Doc d = words(head);
    if (!extend) {
      const std::size_t colon = c_.take_punct(":");
      std::vector<std::size_t> type{c_.take(TokKind::Ident)};
      if (c_.at_kw(Kw::First) || c_.at_kw(Kw::Unique) || c_.at_kw(Kw::Collect))
        type.push_back(c_.take());
      append(d, cat({space(), c_.tok(colon), space(), words(type)}));
    }
    append(d, space());
    const std::size_t open = c_.take_punct("{");
    append(d, block(open, [this] {
             Doc rows;
             bool first = true;
             while (!c_.at_punct("}") && !c_.at_end()) {
               append(rows, hardline());
               append(rows, item_lead(first));
               append(rows, decision_entry());
               first = false;
             }
             return rows;
           }));
    return d;
  }

  Doc decision_entry() {
    if (c_.at_kw(Kw::Remove)) {
      std::vector<std::size_t> tokens{c_.take(), c_.take_kw(Kw::Rule), c_.take(TokKind::String)};
      return words(tokens);
    }
    std::vector<std::size_t> head = optional_change();
    Doc body;
    if (c_.at_kw(Kw::Rule)) {
      head.push_back(c_.take());
      head.push_back(c_.take(TokKind::String));
      append(body, clause_line(Kw::If));
      append(body, clause_line(Kw::Then));
    } else {
      head.push_back(c_.take_kw(Kw::Otherwise));
      if (c_.at(TokKind::String) && c_.at_kw(Kw::Then, 1)) {
        head.push_back(c_.take());
        append(body, clause_line(Kw::Then));
      } else {
        // `sinon valeur`: the value on the line of `sinon`.
        const Expr e = parse_expr(c_);
        c_.hold_trailing(e.last);
        Doc d = words(head);
        append(d, space());
        append(d, nest(kIndent, expr_doc(c_, e)));
        append(d, c_.trailing(e.last));
        if (c_.at_kw(Kw::Because)) append(d, nest(kIndent, reason()));
        return d;
      }
    }
    if (c_.at_kw(Kw::Because)) append(body, reason());
    return cat({words(head), nest(kIndent, std::move(body))});
  }

  Doc reason() {
    Doc lead = item_lead(false);
    std::vector<std::size_t> tokens{c_.take_kw(Kw::Because), c_.take(TokKind::String)};
    return cat({hardline(), std::move(lead), words(tokens)});
  }

  Doc output() {
    std::vector<std::size_t> head = optional_change();
    head.push_back(c_.take_kw(Kw::Output));
    Doc d = words(head);
    append(d, space());
    const std::size_t open = c_.take_punct("{");
    append(d, block(open, [this] {
             std::vector<AlignedRow> rows;
             while (!c_.at_punct("}") && !c_.at_end()) {
               AlignedRow row;
               row.lead = item_lead(rows.empty());
               const std::size_t name = c_.take();
               const std::size_t equals = c_.take_punct("=");
               const Expr value = parse_output_value(c_);
               c_.hold_trailing(value.last);
               row.cells.emplace_back(c_.tok(name));
               row.cells.emplace_back(
                   cat({c_.tok(equals), space(), nest(kIndent, expr_doc(c_, value))}));
               row.trailing = c_.trailing(value.last);
               rows.push_back(std::move(row));
             }
             return aligned_rows(std::move(rows), kNameValueGaps);
           }));
    return d;
  }

  Doc summary() {
    std::vector<std::size_t> head{c_.take_kw(Kw::Summary), c_.take(TokKind::String)};
    Doc d = words(head);
    Doc clauses = clause_line(Kw::Rows);
    if (c_.at_kw(Kw::Columns)) append(clauses, clause_line(Kw::Columns));
    if (c_.at_kw(Kw::If)) append(clauses, clause_line(Kw::If));
    append(d, nest(kIndent, std::move(clauses)));
    return d;
  }

  Doc test() {
    std::vector<std::size_t> head{c_.take_kw(Kw::Test), c_.take(TokKind::String)};
    Doc d = words(head);
    append(d, space());
    const std::size_t open = c_.take_punct("{");
    append(d, block(open, [this] {
             Doc rows;
             bool first = true;
             while (!c_.at_punct("}") && !c_.at_end()) {
               append(rows, hardline());
               append(rows, item_lead(first));
               append(rows, c_.at_kw(Kw::Expect) ? expectation() : given());
               first = false;
             }
             return rows;
           }));
    return d;
  }

  Doc given() {
    std::vector<std::size_t> tokens{c_.take(TokKind::Ident), c_.take_punct("="), c_.take()};
    return words(tokens);
  }

  Doc expectation() {
    const std::size_t expect = c_.take();
    const std::size_t name = c_.take();
    const std::size_t equals = c_.take_punct("=");
    const Expr value = parse_expr(c_);
    std::vector<std::size_t> by;
    if (c_.at_kw(Kw::By)) by = {c_.take(), c_.take(TokKind::String)};
    const std::size_t last = by.empty() ? value.last : by.back();
    c_.hold_trailing(last);
    Doc d = cat(
        {words({expect, name, equals}), space(), nest(kIndent, flat_group(expr_doc(c_, value)))});
    if (!by.empty()) append(d, cat({space(), words(by)}));
    append(d, c_.trailing(last));
    return d;
  }

  Cursor& c_;
};

}  // namespace

Doc layout_file(Cursor& c) {
  return Layout(c).file();
}

}  // namespace tamis::format
