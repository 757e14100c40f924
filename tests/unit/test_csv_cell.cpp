// CsvCellWriter writes, byte for byte, what append_csv_field(format_value(…)) writes:
// checked over every kind of value it has a path of its own for, with texts that need
// quotes, doubled quotes, or neither.
#include <fmt/format.h>
#include <algorithm>
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "runtime/classifier.hpp"
#include "runtime/eval/csv_cell.hpp"
#include "runtime/eval/csv_cell_avx2.hpp"
#include "runtime/eval/value_format.hpp"
#include "runtime/io/csv_reader.hpp"
#include "runtime/io/csv_writer.hpp"
#include "support/bytes.hpp"
#include "support/scan.hpp"

using tamis::graph::Base;
using tamis::graph::Type;
using tamis::graph::Value;
using tamis::runtime::CsvCellWriter;

namespace {

// What the slow path writes: the value formatted, then written as a CSV field.
std::string reference(const tamis::graph::RuleGraph& g, const Type& type, const Value& v) {
  std::string line;
  tamis::io::append_csv_field(line, tamis::runtime::format_value(g, type, v));
  return line;
}

// A classified row's cells as the slow path writes them: each output formatted, then
// written as a CSV field followed by a comma (Classifier::classify's `line`).
std::string outputs_line(tamis::runtime::Classifier& classifier) {
  std::string line;
  for (const auto& value : classifier.outputs()) {
    tamis::io::append_csv_field(line, value);
    line += ',';
  }
  return line;
}

std::string written(const tamis::graph::RuleGraph& g, const Type& type, const Value& v) {
  tamis::ByteSink line;
  line.append("before,");  // appended to, not replaced
  CsvCellWriter(g, type).append(line, v, ';');
  const std::string_view all = line.view();
  REQUIRE(all.starts_with("before,"));
  REQUIRE(all.ends_with(";"));  // what follows the cell
  return std::string(all.substr(7, all.size() - 8));
}

const std::vector<std::string_view> kTexts = {"",
                                              "Vélo",
                                              "a, b",
                                              "il dit \"oui\"",
                                              "deux\nlignes",
                                              "retour\r",
                                              "\"",
                                              "a | b",
                                              " ",
                                              "x\"y,z",
                                              "Sobriété des bâtiments (résidentiel)"};

}  // namespace

TEST_CASE("csv cells: sets of texts, as the joined text would be written", "[csv][cell]") {
  TAMIS_COMPILE_OK(c, R"tamis(
énumération E { un "Un"  deux "Deux, trois" }
schéma D { id : entier colonne "ID" }
)tamis");
  const Type texts{Base::Text, false, true, 0};
  // Every pair of texts, in either order, and each alone; and the empty set.
  std::vector<std::vector<std::string_view>> sets = {{}};
  for (const auto a : kTexts) {
    sets.push_back({a});
    for (const auto b : kTexts) sets.push_back({a, b});
  }
  sets.push_back({kTexts.begin(), kTexts.end()});
  for (const auto& set : sets) {
    const Value v = Value::of_texts(set.data(), static_cast<std::uint32_t>(set.size()));
    INFO("members: " << set.size()
                     << (set.empty() ? "" : ", first « " + std::string(set[0]) + " »"));
    CHECK(written(*c.graph, texts, v) == reference(*c.graph, texts, v));
  }
  CHECK(written(*c.graph, texts, Value::missing()).empty());
}

TEST_CASE("csv cells: sets of texts checked as they are copied, any unusual byte anywhere",
          "[csv][cell]") {
  // The usual set of texts is copied in one pass (put_usual_texts: loads of 16, 8 or 4 bytes
  // that end at each text's end, bytes below 4), any other handed to the general way: texts
  // of every size up to 40 bytes, clean or with a byte that needs quotes or is a control
  // byte at each place, alone, after a clean text and before one.
  TAMIS_COMPILE_OK(c, R"tamis(
schéma D { id : entier colonne "ID" }
)tamis");
  const Type texts{Base::Text, false, true, 0};
  std::size_t different = 0;
  std::size_t cases = 0;
  for (std::size_t n = 0; n <= 40; ++n) {
    std::string clean;
    for (std::size_t i = 0; i < n; ++i) clean += static_cast<char>('a' + i % 26);
    std::vector<std::string> variants = {clean};
    for (std::size_t at = 0; at < n; ++at) {
      for (const char unusual : {',', '"', '\n', '\r', '\x01'}) {
        std::string text = clean;
        text[at] = unusual;
        variants.push_back(text);
      }
    }
    for (const auto& text : variants) {
      const std::vector<std::vector<std::string_view>> sets = {
          {text}, {"Vélo", text}, {text, "Transports en commun"}};
      for (const auto& set : sets) {
        const Value v = Value::of_texts(set.data(), static_cast<std::uint32_t>(set.size()));
        different += written(*c.graph, texts, v) != reference(*c.graph, texts, v);
        ++cases;
      }
    }
  }
  CHECK(cases > 10000);
  CHECK(different == 0);
}

TEST_CASE("csv cells: single values and sets of enumeration values", "[csv][cell]") {
  TAMIS_COMPILE_OK(c, R"tamis(
énumération E { un "Un" code "1"  deux "Deux" code "a,\"b\""  trois "Trois" }
schéma D { id : entier colonne "ID" }
)tamis");
  const auto& g = *c.graph;
  const Type text{Base::Text, false, false, 0};
  for (const auto t : kTexts)
    CHECK(written(g, text, Value::of_text(t)) == reference(g, text, Value::of_text(t)));
  const Type e{Base::Enum, false, false, 0};
  for (std::uint32_t id = 0; id < 3; ++id)
    CHECK(written(g, e, Value::of_id(id)) == reference(g, e, Value::of_id(id)));
  const Type es{Base::Enum, false, true, 0};
  for (std::uint64_t bits = 0; bits < 8; ++bits) {
    const Value v = Value::of_words(&bits, 1);
    CHECK(written(g, es, v) == reference(g, es, v));
  }
  const Type integer{Base::Integer, false, false, 0};
  for (const std::int64_t i : {INT64_MIN, std::int64_t{-1}, std::int64_t{0}, INT64_MAX})
    CHECK(written(g, integer, Value::of_integer(i)) == reference(g, integer, Value::of_integer(i)));
  const Type boolean{Base::Boolean, false, false, 0};
  for (const bool b : {false, true})
    CHECK(written(g, boolean, Value::of_bool(b)) == reference(g, boolean, Value::of_bool(b)));
}

namespace {

// Writes a one-word set with `writer`, whose cells are kept by their word, as a
// Classifier uses it.
void write_keyed(const CsvCellWriter& writer, tamis::ByteSink& line, const Value& v) {
  if (char* end = writer.put_kept(line.room(writer.ready_room()), v.words[0], ';')) {
    line.commit(end);
  } else {
    writer.append_and_keep(line, v, v.words[0], ';');
  }
}

}  // namespace

TEST_CASE("csv cells: one writer writes each set the same every time it meets it", "[csv][cell]") {
  // A writer keeps the cells of one-word sets it wrote in 4,096 slots: all 4,096 sets of
  // 12 values, written twice in two orders, land several in some slots, and each cell must
  // be the one the set has, not the slot's first.
  TAMIS_COMPILE_OK(c, R"tamis(
énumération E { un "Un" code "1"  deux "Deux" code "a,\"b\""  trois "Trois"  quatre "Quatre"
  cinq "Cinq" code "c\nd"  six "Six"  sept "Sept"  huit "Huit"  neuf "Neuf"  dix "Dix"
  onze "Onze"  douze "Douze" }
schéma D { id : entier colonne "ID"  s : ensemble de E colonne "S" }
sortie { "s" = s }
)tamis");
  const auto& g = *c.graph;
  const auto key = tamis::runtime::cell_key(g, g.outputs[0].node);
  REQUIRE(key.kind == tamis::runtime::CellKey::Kind::Word);
  const Type es{Base::Enum, false, true, 0};
  const CsvCellWriter writer(g, key);
  tamis::ByteSink line;
  std::size_t different = 0;
  for (std::uint64_t round = 0; round < 2; ++round) {
    for (std::uint64_t n = 0; n < 4096; ++n) {
      std::uint64_t bits = round == 0 ? n : (n * 2731) % 4096;  // 2,731 is odd: every set
      const Value v = Value::of_words(&bits, 1);
      line.clear();
      write_keyed(writer, line, v);
      different += line.view() != reference(g, es, v) + ";";
    }
  }
  CHECK(different == 0);
  std::string row_keys;
  for (int i = 0; i < 70; ++i) row_keys += fmt::format("  \"clé {}\" | {}\n", i, i);
  TAMIS_COMPILE_OK(t, "table T (n : entier) {\n" + row_keys + "}\n" +
                          "schéma D { id : entier colonne \"ID\" }\n");
  const Type rows{Base::Row, false, true, 0};
  const CsvCellWriter row_writer(*t.graph, rows);
  for (int pass = 0; pass < 2; ++pass) {
    const std::uint64_t words[2] = {0x8000000000000001u, 0x20};
    const Value v = Value::of_words(words, 2);
    line.clear();
    row_writer.append(line, v, ';');
    CHECK(line.view() == reference(*t.graph, rows, v) + ";");
    CHECK(line.view() == "clé 0 | clé 63 | clé 69;");
  }
}

TEST_CASE("csv cells: a result row is its values formatted, however each cell is found",
          "[csv][cell]") {
  // Cells made at construction (an enumeration value, a label, a row's column, a rule's
  // name), kept by a set's word, or written each time: every row of every combination,
  // twice, against the values formatted one by one.
  TAMIS_COMPILE_OK(c, R"tamis(
énumération E { un "Un" code "1"  deux "Deux, d" code "a,\"b\""  trois "Trois" }
table T (nom : texte, e : ensemble de E, n : entier?) {
  "r1" | "x, y" | {un} | 3
  "r2" | "z" | {deux, trois} | vide
  "r \"3\"" | "\"q\"" | {} | 5
}
schéma D {
  id : entier colonne "ID"
  e : E? colonne "E"
  r : T colonne "R"
  rs : ensemble de T colonne "RS"
}
décision d : E première {
  règle "R0, un" si e = un alors deux
  règle "R1" si e = deux alors trois
  sinon "autre" alors un
}
soit dd = d
soit rr = rs
sortie {
  "id" = id  "e" = e  "le" = libelle(e)  "d" = d  "ld" = libelle(d)  "regle" = nom_regle(d)
  "r" = r  "rn" = r.n  "rnom" = r.nom  "lr" = libelle(r)
  "rs" = rs  "noms" = rs.nom  "es" = rs.e
  "dd" = dd  "ldd" = libelle(dd)  "rr" = rr  "rrnoms" = rr.nom  "inconnus" = non_reconnus(rs)
}
)tamis");
  const auto& g = *c.graph;
  // Each instruction set the result row can be written with here (write_outputs).
  const auto simd = GENERATE(from_range(tamis::io::simd_levels_run_here()));
  tamis::runtime::Classifier classifier(g, 0, simd);
  REQUIRE(classifier.bind({"ID", "E", "R", "RS"}).empty());
  const std::vector<std::string> es = {"", "Un", "Deux, d", "Trois"};
  const std::vector<std::string> rs = {"r1", "r2", "r \"3\""};
  std::size_t rows = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& e : es) {
      for (const auto& r : rs) {
        // The members of a set cell: rows, and labels naming none.
        const std::vector<std::string> members = {"r1", "r2", "r \"3\"", "zz, \"in\" connu"};
        for (unsigned set = 0; set < 16; ++set) {
          std::string cell;
          for (unsigned i = 0; i < 4; ++i) {
            if ((set & (1u << i)) == 0) continue;
            if (!cell.empty()) cell += ", ";
            cell += members[i];
          }
          tamis::io::CsvRecord row;
          const std::string id = std::to_string(++rows);
          row.fields = {id, e, r, cell};
          tamis::ByteSink line;
          REQUIRE(classifier.classify(row, std::nullopt, nullptr, &line).empty());
          const std::string expected = outputs_line(classifier);
          INFO("E « " << e << " », R « " << r << " », RS « " << cell << " »");
          CHECK(line.view() == expected);
        }
      }
    }
  }
}

TEST_CASE("csv cells: a whole number's cell copied as read, a text checked as it is copied",
          "[csv][cell]") {
  // A column that is a whole number field copies its cell when the cell is the number's
  // own digits, and formats the number otherwise; a text field of 16 bytes or more is
  // copied 16 bytes at a time while checked for what needs quotes, and written again the
  // general way when something does, wherever it is (a first block, the overlapping last).
  TAMIS_COMPILE_OK(c, R"tamis(
schéma D {
  id : entier colonne "ID"
  n : entier? colonne "N"
  t : texte? colonne "T"
}
sortie { "id" = id  "n" = n  "t" = t }
)tamis");
  // Each instruction set the result row can be written with here (write_outputs).
  const auto simd = GENERATE(from_range(tamis::io::simd_levels_run_here()));
  tamis::runtime::Classifier classifier(*c.graph, 0, simd);
  REQUIRE(classifier.bind({"ID", "N", "T"}).empty());
  const std::vector<std::string> numbers = {"",
                                            "0",
                                            "7",
                                            "-5",
                                            "+5",
                                            "007",
                                            "12345678",
                                            "00000012",
                                            "1234567",
                                            "123456789",
                                            " 42",
                                            "42 ",
                                            "1 234",
                                            "10000000000",
                                            "9999999999999999",
                                            "1234567890123456789",
                                            "-12345678",
                                            "-9223372036854775808"};
  std::vector<std::string> texts(kTexts.begin(), kTexts.end());
  for (const std::string base : {"0123456789abcdef", "0123456789abcdefghijklmnopqrstuvwxyz-+"}) {
    texts.push_back(base);
    for (std::size_t at = 0; at < base.size(); at += 5) {
      // And bytes next to them: control bytes the check sends the general way (a tab, 0,
      // 1, 12), and bytes it lets through (14, 127).
      for (const char special :
           {',', '"', '\n', '\r', '\t', '\0', '\x01', '\x0c', '\x0e', '\x7f'}) {
        std::string t = base;
        t[at] = special;
        texts.push_back(t);
      }
    }
    std::string last = base;
    last.back() = '"';
    texts.push_back(last);
  }
  // Texts written in the room made for the row, and those too long for it, written apart.
  for (const std::size_t n : {std::size_t{126}, std::size_t{127}, std::size_t{1000}}) {
    texts.push_back(std::string(n, 'x'));
    texts.push_back(std::string(n, '"'));
    texts.push_back(std::string(n - 1, 'y') + ",");
  }
  std::size_t rows = 0;
  for (const auto& n : numbers) {
    for (const auto& t : texts) {
      tamis::io::CsvRecord row;
      const std::string id = n.empty() || n.find_first_not_of("0123456789") != std::string::npos
                                 ? std::to_string(++rows)
                                 : n;
      row.fields = {id, n, t};
      tamis::ByteSink line;
      const auto reasons = classifier.classify(row, std::nullopt, nullptr, &line);
      if (!reasons.empty()) continue;  // a cell no whole number reads: rejected
      ++rows;
      const std::string expected = outputs_line(classifier);
      INFO("N « " << n << " », T « " << t << " »");
      CHECK(line.view() == expected);
    }
  }
  CHECK(rows > 200);
}

TEST_CASE("csv cells: a text or a number written at a pointer stays in the room it is given",
          "[csv][cell]") {
  // A result row makes kTextRoom bytes of room for a text that text_fits(), kIntegerRoom for
  // a number: the longest of them, all quotes doubled, the most digits, must fit.
  const std::string quotes((CsvCellWriter::kTextRoom - 3) / 2, '"');
  const Value fits = Value::of_text(quotes);
  REQUIRE(CsvCellWriter::text_fits(fits));
  CHECK_FALSE(CsvCellWriter::text_fits(Value::of_text(quotes + "\"")));
  CHECK(CsvCellWriter::text_fits(Value::missing()));
  std::string room(CsvCellWriter::kTextRoom, '\0');
  const char* end = CsvCellWriter::put_text_at(room.data(), fits, ';');
  REQUIRE(static_cast<std::size_t>(end - room.data()) <= CsvCellWriter::kTextRoom);
  std::string expected;
  tamis::io::append_csv_field(expected, quotes);
  CHECK(room.substr(0, static_cast<std::size_t>(end - room.data())) == expected + ";");
  std::string digits(CsvCellWriter::kIntegerRoom, '\0');
  end = CsvCellWriter::put_integer_at(digits.data(), Value::of_integer(INT64_MIN), "", ';');
  CHECK(static_cast<std::size_t>(end - digits.data()) == CsvCellWriter::kIntegerRoom);
  CHECK(digits == "-9223372036854775808;");
}

TEST_CASE("csv cells: a writer stops keeping cells at its byte limit, and writes the others",
          "[csv][cell]") {
  // Kept cells share a bounded buffer (KeptCells::kLimit, 256 KB): 600 sets of 32 long codes
  // (~10 KB a cell) fill it, and the sets met after are written each time, the same.
  std::string values;
  for (int i = 0; i < 64; ++i) {
    values += fmt::format("  v{} \"V{}\" code \"{}{}\"\n", i, i, std::string(300, 'x'), i);
  }
  TAMIS_COMPILE_OK(
      c, "énumération E {\n" + values + "}\n" +
             "schéma D { id : entier colonne \"ID\"  s : ensemble de E colonne \"S\" }\n" +
             "sortie { \"s\" = s }\n");
  const auto& g = *c.graph;
  const auto key = tamis::runtime::cell_key(g, g.outputs[0].node);
  REQUIRE(key.kind == tamis::runtime::CellKey::Kind::Word);
  const Type es{Base::Enum, false, true, 0};
  const CsvCellWriter writer(g, key);
  tamis::ByteSink line;
  std::size_t different = 0;
  std::size_t kept = 0;
  for (int round = 0; round < 2; ++round) {
    std::uint64_t state = 12345;
    for (int n = 0; n < 600; ++n) {
      std::uint64_t bits = 0;
      while (std::popcount(bits) < 32) {  // 32 members, drawn the same in both rounds
        state = state * 6364136223846793005u + 1442695040888963407u;
        bits |= std::uint64_t{1} << (state >> 58);
      }
      const Value v = Value::of_words(&bits, 1);
      if (round == 1) kept += writer.put_kept(line.room(writer.ready_room()), bits, ';') != nullptr;
      line.clear();
      write_keyed(writer, line, v);
      different += line.view() != reference(g, es, v) + ";";
    }
  }
  CHECK(different == 0);
  CHECK(kept > 10);   // the first cells were kept
  CHECK(kept < 100);  // and the limit stopped keeping the others
}

TEST_CASE("csv cells: room for a row's cells grows with the longest cell kept", "[csv][cell]") {
  // A result row makes room once for the cells it copies: a cell kept longer than any
  // before must widen that room, or the next row's copy would write past it.
  TAMIS_COMPILE_OK(c, R"tamis(
énumération E {
  un "Un" code "un, un, un, un, un, un, un, un, un, un, un, un, un, un, un, un, un, un, un, un"
  deux "Deux" code "deux deux deux deux deux deux deux deux deux deux deux deux deux deux deux"
  trois "Trois" code "trois trois trois trois trois trois trois trois trois trois trois trois"
}
schéma D { id : entier colonne "ID"  s : ensemble de E colonne "S" }
sortie { "s" = s }
)tamis");
  const auto& g = *c.graph;
  const CsvCellWriter writer(g, tamis::runtime::cell_key(g, g.outputs[0].node));
  CHECK(writer.ready_room() == 0);  // nothing kept yet
  tamis::ByteSink line;
  std::uint64_t all = 7;
  write_keyed(writer, line, Value::of_words(&all, 1));
  CHECK(writer.ready_room() >= line.size() + 16);  // the cell, its comma and copy_blocks' 16

  // Each instruction set the result row can be written with here (write_outputs).
  const auto simd = GENERATE(from_range(tamis::io::simd_levels_run_here()));
  tamis::runtime::Classifier classifier(g, 0, simd);
  REQUIRE(classifier.bind({"ID", "S"}).empty());
  const std::vector<std::string> cells = {"Un", "Deux", "Un, Deux", "Un, Deux, Trois"};
  for (int pass = 0; pass < 3; ++pass) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      tamis::io::CsvRecord row;
      const std::string id = std::to_string(pass * 10 + static_cast<int>(i));
      row.fields = {id, cells[i]};
      tamis::ByteSink cell_line;  // a sink of its own: room made for this row alone
      REQUIRE(classifier.classify(row, std::nullopt, nullptr, &cell_line).empty());
      std::string expected;
      tamis::io::append_csv_field(expected, classifier.outputs().at(0));
      CHECK(cell_line.view() == expected + ",");
    }
  }
}

TEST_CASE("csv cells: adjacent columns of one key are kept and copied as one run", "[csv][cell]") {
  // A decision's value, label and rule (a value from several rules, a rule giving
  // several values, the fallback), a set
  // field's cell, labels naming no row, columns of its rows: each run kept under its key
  // (the value and the rule; the set's word when no label is unknown) must be the bytes
  // the columns write one by one, for every row, met once or again; a row with unknown
  // labels has the set's run kept for its word copied around its cell of them (its gap),
  // or is written column by column. Each row in a sink of its own: room made for it
  // alone (a run kept longer than its columns' cells must widen it).
  TAMIS_COMPILE_OK(c, R"tamis(
énumération E { un "Un" code "1"  deux "Deux, d" code "a,\"b\""  trois "Trois" }
table T (nom : texte, e : ensemble de E) {
  "r1" | "x, y" | {un}
  "r2" | "z" | {deux, trois}
  "r \"3\"" | "\"q\"" | {}
}
schéma D {
  id : entier colonne "ID"  e : E? colonne "E"  f : E colonne "F"  rs : ensemble de T colonne "RS"
}
décision d : E première {
  règle "R0, un" si e = un alors deux
  règle "R1" si e = deux alors trois
  règle "R2" si e = trois alors f
  sinon "autre, \"x\"" alors un
}
sortie {
  "id" = id  "d" = d  "regle" = nom_regle(d)  "ld" = libelle(d)
  "rs" = rs  "inconnus" = non_reconnus(rs)  "noms" = rs.nom  "es" = rs.e
  "regle seule" = nom_regle(d)  "inconnus seuls" = non_reconnus(rs)
}
)tamis");
  // Each instruction set the result row can be written with here (write_outputs).
  const auto simd = GENERATE(from_range(tamis::io::simd_levels_run_here()));
  tamis::runtime::Classifier classifier(*c.graph, 0, simd);
  REQUIRE(classifier.bind({"ID", "E", "F", "RS"}).empty());
  const std::vector<std::string> es = {"", "Un", "Deux, d", "Trois"};
  const std::vector<std::string> members = {"r1", "r2", "r \"3\"", "zz, \"in\" connu"};
  std::size_t rows = 0;
  for (int pass = 0; pass < 3; ++pass) {
    for (const auto& e : es) {
      for (unsigned set = 0; set < 16; ++set) {
        std::string cell;
        for (unsigned i = 0; i < 4; ++i) {
          if ((set & (1u << i)) == 0) continue;
          if (!cell.empty()) cell += ", ";
          cell += members[i];
        }
        tamis::io::CsvRecord row;
        const std::string id = std::to_string(++rows);
        row.fields = {id, e, es[1 + rows % 3], cell};  // R2's value: each of E
        tamis::ByteSink line;
        REQUIRE(classifier.classify(row, std::nullopt, nullptr, &line).empty());
        const std::string expected = outputs_line(classifier);
        INFO("pass " << pass << ", E « " << e << " », RS « " << cell << " »");
        CHECK(line.view() == expected);
      }
    }
  }
}

TEST_CASE("csv cells: an empty slot of kept cells is found by no key", "[csv][cell]") {
  // put() compares keys only: an empty slot's key (0, or 1 in slot 0) goes to another slot,
  // so neither key finds anything before it is kept, and each finds its own bytes after.
  tamis::runtime::KeptCells kept;
  kept.open(true);
  std::string room(300, '~');
  for (const std::uint64_t key : {std::uint64_t{0}, std::uint64_t{1}, ~std::uint64_t{0}}) {
    INFO("key " << key);
    CHECK(kept.put(room.data(), key) == nullptr);
    CHECK(kept.around_gap(key).bytes == nullptr);
#if defined(TAMIS_AVX512_DISPATCH)
    if (tamis::scan::cpu_has_avx2()) CHECK(kept.put_avx2(room.data(), key) == nullptr);
#endif
  }
  const std::vector<std::pair<std::uint64_t, std::string>> cells = {
      {0, "zero,"}, {1, "un,"}, {~std::uint64_t{0}, "tous,"}};
  for (const auto& [key, bytes] : cells) REQUIRE(kept.keep(key, bytes, 0));
  for (const auto& [key, bytes] : cells) {
    INFO("key " << key);
    char* end = kept.put(room.data(), key);
    REQUIRE(end != nullptr);
    CHECK(std::string(room.data(), end) == bytes);
    CHECK(kept.around_gap(key).size == bytes.size());
#if defined(TAMIS_AVX512_DISPATCH)
    if (tamis::scan::cpu_has_avx2()) {
      end = kept.put_avx2(room.data(), key);
      REQUIRE(end != nullptr);
      CHECK(std::string(room.data(), end) == bytes);
    }
#endif
  }
}

TEST_CASE("csv cells: kept bytes are copied whole, and nothing past their last block",
          "[csv][cell]") {
  // copy_padded copies blocks, two overlapping halves (33 to 128 bytes) or a loop (and its
  // AVX2 twin, 32 bytes at a time, avx2::copy_padded): every
  // size from none to past the loop's start, from a source padded to 16 bytes as
  // KeptCells keeps it, and the bytes after the last 16-byte block untouched.
  std::string from(256 + 32, '\0');
  for (std::size_t i = 0; i < from.size(); ++i) from[i] = static_cast<char>('!' + i % 90);
  for (std::size_t n = 0; n <= 200; ++n) {
    std::string to(300, '~');
    const char* end = tamis::copy_padded(to.data(), from.data(), n);
    INFO("n = " << n);
    CHECK(end == to.data() + n);
    CHECK(to.compare(0, n, from, 0, n) == 0);
    const std::size_t blocks = std::max<std::size_t>(16, (n + 15) / 16 * 16);
    CHECK(to.find_first_not_of('~', blocks) == std::string::npos);
#if defined(TAMIS_AVX512_DISPATCH)
    if (tamis::scan::cpu_has_avx2()) {  // 32 bytes at a time (KeptCells::put_avx2)
      std::string to32(300, '~');
      CHECK(tamis::runtime::avx2::copy_padded(to32.data(), from.data(), n) == to32.data() + n);
      CHECK(to32.compare(0, n, from, 0, n) == 0);
      const std::size_t blocks32 = std::max<std::size_t>(32, (n + 31) / 32 * 32);
      CHECK(to32.find_first_not_of('~', blocks32) == std::string::npos);
    }
#endif
  }
}

TEST_CASE("csv cells: the usual text is written 32 bytes a step, any other handed back",
          "[csv][cell]") {
  // put_usual_text_at_avx2 (what a result row writes a text field with, on a processor with
  // AVX2) writes what put_text_at writes for a missing text or one of 16 to kTextRoom - 1
  // bytes with nothing that needs quotes and no control byte up to 13, and returns nullptr
  // for any other: shorter, longer, or with such a byte anywhere (in its first or last
  // step, or one between). text_put() keeps that contract whichever it gives.
  std::vector<CsvCellWriter::TextPut> puts = {CsvCellWriter::text_put(false)};
  if (tamis::scan::cpu_has_avx2()) puts.push_back(CsvCellWriter::text_put(true));
  std::vector<std::string> texts;
  for (std::size_t n = 0; n <= CsvCellWriter::kTextRoom + 40; ++n) {
    std::string base(n, 'a');
    for (std::size_t i = 0; i < n; ++i) base[i] = static_cast<char>('a' + i % 26);
    if (n % 3 == 0 && n > 0) base[n / 2] = '\xc3';  // bytes above 127 are usual
    texts.push_back(base);
    if (n == 0 || (n > 80 && n % 7 != 0 && n < CsvCellWriter::kTextRoom - 2)) continue;
    for (std::size_t at = 0; at < n; ++at) {
      for (const char special : {',', '"', '\n', '\r', '\t', '\0', '\x01', '\x0c', '\x0d', '\x0e',
                                 '\x7f', '\xff', ' '}) {
        std::string t = base;
        t[at] = special;
        texts.push_back(t);
      }
    }
  }
  const auto usual = [](std::string_view t) {
    return t.size() >= 16 && t.size() < CsvCellWriter::kTextRoom &&
           std::none_of(t.begin(), t.end(), [](char c) {
             return c == ',' || c == '"' || static_cast<unsigned char>(c) <= 13;
           });
  };
  std::size_t handed_back = 0;
  for (const auto put : puts) {
    for (const auto& t : texts) {
      const Value v = Value::of_text(t);
      std::string room(CsvCellWriter::kTextRoom + 64, '~');
      const char* end = put(room.data(), v, ';');
      INFO("« " << t << " » (" << t.size() << " bytes)");
      const bool fast = put == CsvCellWriter::put_usual_text_at_avx2;
      if (end == nullptr) {
        ++handed_back;
        const bool writable = fast ? usual(t) : CsvCellWriter::text_fits(v);
        CHECK_FALSE(writable);
        continue;
      }
      if (fast) CHECK(usual(t));
      std::string expected;
      tamis::io::append_csv_field(expected, t);
      expected += ';';
      REQUIRE(static_cast<std::size_t>(end - room.data()) == expected.size());
      CHECK(room.substr(0, expected.size()) == expected);
      CHECK(room.find_first_not_of('~', expected.size()) == std::string::npos);
    }
    std::string room(4, '~');
    const char* end = put(room.data(), Value::missing(), ';');
    CHECK(end == room.data() + 1);
    CHECK(room == ";~~~");
  }
  CHECK(handed_back > 100);
}

TEST_CASE("csv cells: a number's count of digits, at each power of ten", "[csv][cell]") {
  // has_digit_count(n, d): whether n is written with d digits and no sign, which is when
  // put_integer_at copies a cell of d bytes as read.
  for (std::int64_t n : {std::int64_t{0}, std::int64_t{1}, std::int64_t{9}, std::int64_t{-1},
                         std::int64_t{-9}, INT64_MIN, INT64_MAX}) {
    for (std::size_t d = 0; d <= 21; ++d) {
      INFO(n << ", " << d << " digits");
      CHECK(CsvCellWriter::has_digit_count(n, d) == (n >= 0 && std::to_string(n).size() == d));
    }
  }
  std::int64_t power = 1;
  for (std::size_t d = 1; d <= 18; ++d) {
    power *= 10;  // 10^d: d + 1 digits
    for (const std::int64_t n : {power - 1, power, power + 1, -power, -(power - 1)}) {
      INFO(n);
      for (std::size_t digits = 0; digits <= 21; ++digits) {
        CHECK(CsvCellWriter::has_digit_count(n, digits) ==
              (n >= 0 && std::to_string(n).size() == digits));
      }
    }
  }
}

TEST_CASE("csv cells: a field's id column joins the decision run next to it", "[csv][cell]") {
  // An IdOfField column just before a decision's run, or else just after, is kept with it
  // under one key (IdDecisionRun): the field's id, its missing value, each with each of
  // the decision's values and rules; a column between two runs joins one only, the first.
  TAMIS_COMPILE_OK(c, R"tamis(
énumération E { un "Un, 1" code "1"  deux "Deux" code "2"  trois "Trois" code "3" }
schéma D { id : entier colonne "ID"  e : E? colonne "E"  f : E? colonne "F" }
décision d : E première {
  règle "R1" si e = un alors deux
  règle "R2" si f = deux alors trois
  sinon "R0" alors un
}
décision d2 : E première {
  règle "S1" si f = trois alors un
  sinon "S0" alors trois
}
sortie {
  "d" = d  "regle" = nom_regle(d)  "e" = e  "ld2" = libelle(d2)  "r2" = nom_regle(d2)
  "lf" = libelle(f)  "id" = id
}
)tamis");
  // Each instruction set the result row can be written with here (write_outputs).
  const auto simd = GENERATE(from_range(tamis::io::simd_levels_run_here()));
  tamis::runtime::Classifier classifier(*c.graph, 0, simd);
  REQUIRE(classifier.bind({"ID", "E", "F"}).empty());
  std::size_t rows = 0;
  for (int pass = 0; pass < 3; ++pass) {
    for (const std::string e : {"", "Un, 1", "Deux", "Trois"}) {
      for (const std::string f : {"", "Un, 1", "Deux", "Trois"}) {
        tamis::io::CsvRecord row;
        const std::string id = std::to_string(++rows);
        row.fields = {id, e, f};
        tamis::ByteSink line;
        REQUIRE(classifier.classify(row, std::nullopt, nullptr, &line).empty());
        const std::string expected = outputs_line(classifier);
        INFO("pass " << pass << ", E « " << e << " », F « " << f << " »");
        CHECK(line.view() == expected);
      }
    }
  }
}

TEST_CASE("csv cells: runs first and last in a row, and a row of no column", "[csv][cell]") {
  // Each column's code goes on to the next one's, a run kept to the plan past its columns,
  // the last to the end of the row: runs that open and close the row, met and met again.
  TAMIS_COMPILE_OK(c, R"tamis(
énumération E { un "Un"  deux "Deux" }
table T (nom : texte) { "r1" | "x"  "r2" | "y, z" }
schéma D { id : entier colonne "ID"  e : E colonne "E"  rs : ensemble de T colonne "RS" }
décision d : E première {
  règle "R1" si e = un alors deux
  sinon "R0" alors un
}
sortie { "d" = d  "regle" = nom_regle(d)  "id" = id  "rs" = rs  "noms" = rs.nom }
)tamis");
  // Each instruction set the result row can be written with here (write_outputs).
  const auto simd = GENERATE(from_range(tamis::io::simd_levels_run_here()));
  tamis::runtime::Classifier classifier(*c.graph, 0, simd);
  REQUIRE(classifier.bind({"ID", "E", "RS"}).empty());
  std::size_t rows = 0;
  for (int pass = 0; pass < 3; ++pass) {
    for (const std::string e : {"Un", "Deux"}) {
      for (const std::string rs : {"", "r1", "r2", "r1, r2", "r1, ailleurs"}) {
        tamis::io::CsvRecord row;
        const std::string id = std::to_string(++rows);
        row.fields = {id, e, rs};
        tamis::ByteSink line;
        REQUIRE(classifier.classify(row, std::nullopt, nullptr, &line).empty());
        const std::string expected = outputs_line(classifier);
        INFO("pass " << pass << ", E « " << e << " », RS « " << rs << " »");
        CHECK(line.view() == expected);
      }
    }
  }
  TAMIS_COMPILE_OK(none, R"tamis(
schéma D { id : entier colonne "ID" }
sortie { }
)tamis");
  tamis::runtime::Classifier nothing(*none.graph, 0, simd);
  REQUIRE(nothing.bind({"ID"}).empty());
  for (const std::string id : {"1", "2"}) {
    tamis::io::CsvRecord row;
    row.fields = {id};
    tamis::ByteSink line;
    REQUIRE(nothing.classify(row, std::nullopt, nullptr, &line).empty());
    const std::string expected = outputs_line(nothing);
    CHECK(line.view() == expected);
  }
}
