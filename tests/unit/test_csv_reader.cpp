#include <algorithm>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/io/csv_reader.hpp"
#include "runtime/io/csv_writer.hpp"
#include "support/lang.hpp"

using tamis::io::CsvError;
using tamis::io::CsvErrorKind;
using tamis::io::CsvOptions;
using tamis::io::CsvReader;
using tamis::io::CsvRecord;

namespace {

struct Row {
  std::vector<std::string> fields;
  std::size_t line = 0;
  std::size_t number = 0;
  std::optional<CsvError> error;
};

struct Parsed {
  bool has_header = false;
  std::vector<std::string> header;
  std::optional<CsvError> header_error;
  char separator = 0;
  std::vector<Row> rows;
};

// How records are read: next(), or next_raw() then RecordSplitter with the instruction
// set of options.simd, each record split as soon as it is framed (Framed) or all of them
// once the input is read (Kept: CsvReader::next_raws, the campaign's way, holding
// the buffers they are in as its batches do).
enum class Reading { Next, Framed, Kept };

const char* level_name(tamis::io::SimdLevel level) {
  switch (level) {
    case tamis::io::SimdLevel::Sse2:
      return "SSE2";
    case tamis::io::SimdLevel::Avx2:
      return "AVX2";
    case tamis::io::SimdLevel::Avx512:
      return "AVX-512";
  }
  return "?";
}

Parsed parse(const std::string& text, CsvOptions options = {}, Reading reading = Reading::Next) {
  std::istringstream in(text);
  CsvReader reader(in, options);
  Parsed out;
  out.has_header = reader.read_header(out.header);
  out.header_error = reader.header_error();
  out.separator = reader.separator();
  CsvRecord record;
  std::optional<CsvError> error;
  tamis::io::RawRecord raw;
  tamis::io::RecordSplitter splitter(out.separator, options.simd);
  const auto next = [&] {
    if (reading == Reading::Next) return reader.next(record, error);
    if (!reader.next_raw(raw)) return false;
    splitter.split(raw, record, error);
    return true;
  };
  const auto add_row = [&] {
    Row row;
    row.fields.assign(record.fields.begin(), record.fields.end());
    row.line = record.line;
    row.number = record.number;
    row.error = error;
    out.rows.push_back(std::move(row));
  };
  if (reading == Reading::Kept) {
    // A few records a call (and a few bytes), as batches are filled.
    std::vector<std::shared_ptr<const void>> buffers;
    std::vector<tamis::io::RawRecord> raws;
    std::size_t bytes = 0;
    while (reader.next_raws(raws, raws.size() + 5, bytes, bytes + 300, buffers)) {
    }
    for (const auto& kept : raws) {
      splitter.split(kept, record, error);
      add_row();
    }
    return out;
  }
  while (next()) add_row();
  return out;
}

using Fields = std::vector<std::string>;

// Every buffer size, read with next() or framed then split, must give the same
// result as next() with the default one.
void check_all_buffer_sizes(const std::string& text) {
  const Parsed reference = parse(text);
  std::vector<std::pair<Reading, tamis::io::SimdLevel>> ways{
      {Reading::Next, tamis::io::best_simd_level()}};
  for (const auto level : tamis::io::simd_levels_run_here()) {
    ways.emplace_back(Reading::Framed, level);
    ways.emplace_back(Reading::Kept, level);
  }
  for (const std::size_t size : std::vector<std::size_t>{1, 2, 3, 5, 7, 16, 17, 31, 64, 1 << 20})
    for (const auto& [reading, level] : ways) {
      CsvOptions options;
      options.buffer_size = size;
      options.simd = level;
      const Parsed small = parse(text, options, reading);
      INFO("buffer size " << size
                          << (reading == Reading::Framed ? ", framed, "
                              : reading == Reading::Kept ? ", kept, "
                                                         : ", next(), ")
                          << level_name(level));
      REQUIRE(small.has_header == reference.has_header);
      REQUIRE(small.header == reference.header);
      REQUIRE(small.separator == reference.separator);
      REQUIRE(small.rows.size() == reference.rows.size());
      for (std::size_t i = 0; i < small.rows.size(); ++i) {
        INFO("row " << i);
        CHECK(small.rows[i].fields == reference.rows[i].fields);
        CHECK(small.rows[i].line == reference.rows[i].line);
        CHECK(small.rows[i].number == reference.rows[i].number);
        CHECK(small.rows[i].error.has_value() == reference.rows[i].error.has_value());
        if (small.rows[i].error && reference.rows[i].error) {
          CHECK(small.rows[i].error->message == reference.rows[i].error->message);
          CHECK(small.rows[i].error->line == reference.rows[i].error->line);
        }
      }
    }
}

// Framed then split with each instruction set: each record's fields are `expected`'s.
void check_framed_rows(const std::string& text, const std::vector<Fields>& expected) {
  for (const auto level : tamis::io::simd_levels_run_here()) {
    CsvOptions options;
    options.simd = level;
    INFO(level_name(level));
    const Parsed parsed = parse(text, options, Reading::Framed);
    REQUIRE(parsed.rows.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      INFO("row " << i);
      CHECK(parsed.rows[i].fields == expected[i]);
    }
  }
}

// A splitter told which fields are read (RecordSplitter::read_only), with each instruction
// set: of a record with the header's field count and no error, the fields next() gives at
// `columns`; of any other record, every field as next() gives it (messages and checks see
// them all); the field count, line, number and error always. Returns how many records
// were split with only the wanted fields stored.
std::size_t check_wanted_fields(const std::string& text, const std::vector<std::size_t>& columns) {
  const Parsed reference = parse(text);
  std::size_t partial = 0;
  for (const auto level : tamis::io::simd_levels_run_here()) {
    INFO(level_name(level));
    std::istringstream in(text);
    CsvOptions options;
    options.simd = level;
    CsvReader reader(in, options);
    std::vector<std::string> header;
    reader.read_header(header);
    tamis::io::RecordSplitter splitter(reader.separator(), level);
    splitter.read_only(columns, header.size());
    tamis::io::RawRecord raw;
    CsvRecord record;
    std::optional<CsvError> error;
    std::size_t i = 0;
    for (; reader.next_raw(raw); ++i) {
      INFO("row " << i);
      REQUIRE(i < reference.rows.size());
      const Row& expected = reference.rows[i];
      splitter.split(raw, record, error);
      CHECK(record.line == expected.line);
      CHECK(record.number == expected.number);
      REQUIRE(error.has_value() == expected.error.has_value());
      if (error) CHECK(error->message == expected.error->message);
      REQUIRE(record.fields.size() == expected.fields.size());
      const bool whole = error.has_value() || record.fields.size() != header.size();
      partial += whole ? 0u : 1u;
      for (std::size_t f = 0; f < record.fields.size(); ++f) {
        INFO("field " << f);
        if (whole || std::find(columns.begin(), columns.end(), f) != columns.end())
          CHECK(record.fields[f] == expected.fields[f]);
      }
    }
    CHECK(i == reference.rows.size());
  }
  return partial;
}

}  // namespace

TEST_CASE("CSV: simple file with LF", "[csv]") {
  const Parsed p = parse("a,b,c\n1,2,3\n4,5,6\n");
  REQUIRE(p.has_header);
  CHECK(p.header == Fields{"a", "b", "c"});
  CHECK(p.separator == ',');
  REQUIRE(p.rows.size() == 2);
  CHECK(p.rows[0].fields == Fields{"1", "2", "3"});
  CHECK(p.rows[0].line == 2);
  CHECK(p.rows[0].number == 1);
  CHECK(p.rows[1].fields == Fields{"4", "5", "6"});
  CHECK(p.rows[1].line == 3);
  CHECK(p.rows[1].number == 2);
  CHECK_FALSE(p.rows[0].error);
  CHECK_FALSE(p.header_error);
}

TEST_CASE("CSV: CRLF line ends and no final newline", "[csv]") {
  const Parsed p = parse("a,b\r\n1,2\r\n3,4");
  CHECK(p.header == Fields{"a", "b"});
  REQUIRE(p.rows.size() == 2);
  CHECK(p.rows[0].fields == Fields{"1", "2"});
  CHECK(p.rows[1].fields == Fields{"3", "4"});
  CHECK(p.rows[1].line == 3);
}

TEST_CASE("CSV: UTF-8 BOM is stripped", "[csv]") {
  const Parsed p = parse("\xEF\xBB\xBFnom;prénom\r\nDupont;Élise\r\n");
  CHECK(p.separator == ';');
  CHECK(p.header == Fields{"nom", "prénom"});
  REQUIRE(p.rows.size() == 1);
  CHECK(p.rows[0].fields == Fields{"Dupont", "Élise"});
}

TEST_CASE("CSV: separator detection", "[csv]") {
  CHECK(parse("a;b;c\n1;2;3\n").separator == ';');
  CHECK(parse("a,b,c\n").separator == ',');
  CHECK(parse("a\n1\n").separator == ',');
  // Separators inside quotes do not count.
  CHECK(parse("\"x,y,z\";b\n").separator == ';');
  CHECK(parse("\"x;y;z\",b\n").separator == ',');
  // Tie: ','.
  CHECK(parse("a;b,c\n").separator == ',');
  // Explicit separator wins.
  CsvOptions options;
  options.separator = ';';
  const Parsed p = parse("a,b;c\n1,2;3\n", options);
  CHECK(p.separator == ';');
  CHECK(p.header == Fields{"a,b", "c"});
  CHECK(p.rows[0].fields == Fields{"1,2", "3"});
}

TEST_CASE("CSV: quoted fields with separators, quotes and newlines", "[csv]") {
  const std::string text =
      "id;texte;montant\n"
      "1;\"a;b, c\";10\n"
      "2;\"il a dit \"\"bonjour\"\"\";20\n"
      "3;\"ligne 1\nligne 2\r\nligne 3\rfin\";30\n"
      "4;\"\";\"\"\"\"\n"
      "5;;\n";
  const Parsed p = parse(text);
  REQUIRE(p.rows.size() == 5);
  CHECK(p.rows[0].fields == Fields{"1", "a;b, c", "10"});
  CHECK(p.rows[1].fields == Fields{"2", "il a dit \"bonjour\"", "20"});
  CHECK(p.rows[2].fields == Fields{"3", "ligne 1\nligne 2\r\nligne 3\rfin", "30"});
  CHECK(p.rows[3].fields == Fields{"4", "", "\""});
  CHECK(p.rows[4].fields == Fields{"5", "", ""});
  for (const Row& row : p.rows) CHECK_FALSE(row.error);
  check_all_buffer_sizes(text);
}

TEST_CASE("CSV: line numbers after multi-line records", "[csv]") {
  const std::string text =
      "a,b\n"             // 1
      "1,\"x\ny\nz\"\n"   // 2-4
      "2,simple\n"        // 5
      "\"m\r\nn\",3\r\n"  // 6-7
      "4,end\n";          // 8
  const Parsed p = parse(text);
  REQUIRE(p.rows.size() == 4);
  CHECK(p.rows[0].line == 2);
  CHECK(p.rows[1].line == 5);
  CHECK(p.rows[2].line == 6);
  CHECK(p.rows[3].line == 8);
  CHECK(p.rows[3].number == 4);
  check_all_buffer_sizes(text);
}

TEST_CASE("CSV: empty lines are skipped but counted", "[csv]") {
  const Parsed p = parse("\na,b\n\n1,2\r\n\r\n3,4\n\n");
  CHECK(p.header == Fields{"a", "b"});
  REQUIRE(p.rows.size() == 2);
  CHECK(p.rows[0].line == 4);
  CHECK(p.rows[0].number == 1);
  CHECK(p.rows[1].line == 6);
  CHECK(p.rows[1].number == 2);
}

TEST_CASE("CSV: empty input and header only", "[csv]") {
  Parsed p = parse("");
  CHECK_FALSE(p.has_header);
  CHECK(p.rows.empty());
  p = parse("\xEF\xBB\xBF");
  CHECK_FALSE(p.has_header);
  p = parse("\n\r\n");
  CHECK_FALSE(p.has_header);
  p = parse("a;b\n");
  CHECK(p.has_header);
  CHECK(p.header == Fields{"a", "b"});
  CHECK(p.rows.empty());
  p = parse("a;b");
  CHECK(p.header == Fields{"a", "b"});
  CHECK(p.rows.empty());
}

TEST_CASE("CSV: next() without read_header skips the header", "[csv]") {
  std::istringstream in("h1,h2\nv1,v2\n");
  CsvReader reader(in);
  CsvRecord record;
  std::optional<CsvError> error;
  REQUIRE(reader.next(record, error));
  CHECK(record.fields == std::vector<std::string_view>{"v1", "v2"});
  CHECK(record.number == 1);
  CHECK_FALSE(reader.next(record, error));
  CHECK_FALSE(reader.next(record, error));
}

TEST_CASE("CSV: unterminated quote at end of file", "[csv]") {
  const std::string text =
      "a,b,c\n"
      "1,2,3\n"
      "4,\"open,5\n"  // line 3: never closed
      "6,7,8\n";
  const Parsed p = parse(text);
  REQUIRE(p.rows.size() == 3);
  REQUIRE(p.rows[1].error);
  CHECK(p.rows[1].error->kind == CsvErrorKind::UnterminatedQuote);
  CHECK(p.rows[1].error->line == 3);
  CHECK(p.rows[1].error->column == 2);
  CHECK(p.rows[1].error->message == "guillemet non fermé (ouvert ligne 3)");
  CHECK(p.rows[1].line == 3);
  CHECK(p.rows[1].fields == Fields{"4", "open,5"});
  // Reading resumes on the next line.
  CHECK_FALSE(p.rows[2].error);
  CHECK(p.rows[2].fields == Fields{"6", "7", "8"});
  CHECK(p.rows[2].line == 4);
  CHECK(p.rows[2].number == 3);
  check_all_buffer_sizes(text);
}

TEST_CASE("CSV: unterminated quote on the last line", "[csv]") {
  const Parsed p = parse("a,b\r\nx,\"y\"\"z\r\n");
  REQUIRE(p.rows.size() == 1);
  REQUIRE(p.rows[0].error);
  CHECK(p.rows[0].error->kind == CsvErrorKind::UnterminatedQuote);
  CHECK(p.rows[0].error->line == 2);
  CHECK(p.rows[0].fields == Fields{"x", "y\"z"});
}

TEST_CASE("CSV: stray quote in an unquoted field", "[csv]") {
  const std::string text =
      "a,b,c\n"
      "1,2,ab\"c\n"
      "3,4,5\n";
  const Parsed p = parse(text);
  REQUIRE(p.rows.size() == 2);
  REQUIRE(p.rows[0].error);
  CHECK(p.rows[0].error->kind == CsvErrorKind::StrayQuote);
  CHECK(p.rows[0].error->line == 2);
  CHECK(p.rows[0].error->column == 3);
  CHECK(p.rows[0].error->message == "guillemet inattendu dans le champ 3");
  CHECK(p.rows[0].fields == Fields{"1", "2", "ab\"c"});
  CHECK_FALSE(p.rows[1].error);
  CHECK(p.rows[1].fields == Fields{"3", "4", "5"});
  check_all_buffer_sizes(text);
}

TEST_CASE("CSV: text after a closing quote", "[csv]") {
  const std::string text =
      "a,b,c\n"
      "\"x y\"junk,2,3\n"  // line 2
      "4,\"q\" ,6\r\n"     // line 3: a space after the closing quote
      "7,8,9\n";           // line 4
  const Parsed p = parse(text);
  REQUIRE(p.rows.size() == 3);
  REQUIRE(p.rows[0].error);
  CHECK(p.rows[0].error->kind == CsvErrorKind::StrayQuote);
  CHECK(p.rows[0].error->line == 2);
  CHECK(p.rows[0].error->column == 1);
  CHECK(p.rows[0].error->message == "texte après le guillemet fermant dans le champ 1");
  CHECK(p.rows[0].error->reason == "texte après le guillemet fermant");
  CHECK(p.rows[0].fields == Fields{"x y", "2", "3"});
  REQUIRE(p.rows[1].error);
  CHECK(p.rows[1].error->column == 2);
  CHECK(p.rows[1].line == 3);
  CHECK(p.rows[1].fields == Fields{"4", "q", "6"});
  CHECK_FALSE(p.rows[2].error);
  CHECK(p.rows[2].line == 4);
  CHECK(p.rows[2].fields == Fields{"7", "8", "9"});
  check_all_buffer_sizes(text);
}

TEST_CASE("CSV: a quote left open does not swallow the rows after it", "[csv]") {
  // The quote opened on line 3 is never closed; the first quote of line 4 opens a
  // field of its own. Read as RFC 4180 says, line 3's field would run to that quote
  // and be followed by text: line 4's dossier would vanish into line 3's record.
  const std::string text =
      "a,b,c\n"
      "1,x,y\n"
      "2,\"sans fin,z\n"
      "3,\"Commune, Amiens\",w\n"
      "4,x,y\n";
  const Parsed p = parse(text);
  REQUIRE(p.rows.size() == 4);
  CHECK_FALSE(p.rows[0].error);
  REQUIRE(p.rows[1].error);
  CHECK(p.rows[1].error->kind == CsvErrorKind::UnterminatedQuote);
  CHECK(p.rows[1].error->message == "guillemet non fermé (ouvert ligne 3)");
  CHECK(p.rows[1].line == 3);
  CHECK_FALSE(p.rows[2].error);
  CHECK(p.rows[2].line == 4);
  CHECK(p.rows[2].fields == Fields{"3", "Commune, Amiens", "w"});
  CHECK_FALSE(p.rows[3].error);
  CHECK(p.rows[3].fields == Fields{"4", "x", "y"});
  check_all_buffer_sizes(text);
}

TEST_CASE("CSV: a quote left open and closed by a later row's stray quote", "[csv]") {
  // RFC 4180 would read lines 3 to 6 as one record: the quote opened on line 3 is
  // "closed" by the stray quote of line 6, followed by a separator. Lines 4 and 5 read
  // as records of the header's field count with an identifier first: the quote was
  // most likely left open, and every line is read as a record of its own.
  const std::string text =
      "id,titre,c\n"
      "1,x,y\n"
      "2,\"sans fin,z\n"
      "3,x,y\n"
      "4,x,y\n"
      "5,Écran 55\",w\n"
      "6,x,y\n";
  const Parsed p = parse(text);
  REQUIRE(p.rows.size() == 6);
  CHECK_FALSE(p.rows[0].error);
  REQUIRE(p.rows[1].error);
  CHECK(p.rows[1].error->kind == CsvErrorKind::QuoteLikelyUnclosed);
  CHECK(p.rows[1].error->line == 3);
  CHECK(p.rows[1].error->column == 2);
  CHECK(p.rows[1].error->reason == "guillemet probablement non fermé (ouvert ligne 3)");
  CHECK(tamis::io::likely_unclosed_message(*p.rows[1].error, "titre") ==
        "guillemet probablement non fermé (ouvert ligne 3, champ « titre »)");
  tamis::set_lang(tamis::Lang::En);
  CHECK(tamis::io::likely_unclosed_message(*p.rows[1].error, "titre") ==
        "quote probably left open (opened on line 3, field 'titre')");
  tamis::set_lang(tamis::Lang::Fr);
  CHECK(p.rows[1].fields == Fields{"2", "sans fin,z"});
  CHECK_FALSE(p.rows[2].error);
  CHECK(p.rows[2].line == 4);
  CHECK(p.rows[2].fields == Fields{"3", "x", "y"});
  CHECK_FALSE(p.rows[3].error);
  CHECK(p.rows[3].fields == Fields{"4", "x", "y"});
  REQUIRE(p.rows[4].error);
  CHECK(p.rows[4].error->kind == CsvErrorKind::StrayQuote);
  CHECK(p.rows[4].line == 6);
  CHECK_FALSE(p.rows[5].error);
  CHECK(p.rows[5].fields == Fields{"6", "x", "y"});
  CHECK(p.rows[5].number == 6);
  check_all_buffer_sizes(text);
  // The same when only the closing line follows: it reads as the record it was.
  const Parsed one = parse("id,titre,c\n2,\"sans fin,z\n5,Écran 55\",w\n6,x,y\n");
  REQUIRE(one.rows.size() == 3);
  REQUIRE(one.rows[0].error);
  CHECK(one.rows[0].error->kind == CsvErrorKind::QuoteLikelyUnclosed);
  CHECK(one.rows[1].line == 3);
}

TEST_CASE("CSV: a text written on several lines stays one field", "[csv]") {
  // Inner lines that do not read as a record: too few fields, or a first field that
  // is no identifier (even with the header's field count).
  const std::string text =
      "id,etapes,c\r\n"
      "1,\"Prochaines étapes :\r\n- 3 réunions\r\n- travaux, puis bilan\",y\r\n"
      "2,\"Note\nvoir ceci, et cela\",y\n"
      "A-12,\"1, étude\n2, travaux\",y\n"  // "2" is no identifier like "A-12"
      "3,x,y\n";
  const Parsed p = parse(text);
  REQUIRE(p.rows.size() == 4);
  CHECK_FALSE(p.rows[0].error);
  CHECK(p.rows[0].fields ==
        Fields{"1", "Prochaines étapes :\r\n- 3 réunions\r\n- travaux, puis bilan", "y"});
  CHECK_FALSE(p.rows[1].error);
  CHECK(p.rows[1].fields == Fields{"2", "Note\nvoir ceci, et cela", "y"});
  CHECK_FALSE(p.rows[2].error);
  CHECK(p.rows[2].fields == Fields{"A-12", "1, étude\n2, travaux", "y"});
  CHECK(p.rows[3].line == 9);
  CHECK(p.rows[3].fields == Fields{"3", "x", "y"});
  check_all_buffer_sizes(text);
}

TEST_CASE("CSV: a header that is not UTF-8 suggests Windows-1252", "[csv]") {
  const Parsed p = parse("ID,\xC9tat\n1,x\n");
  REQUIRE(p.header_error);
  CHECK(p.header_error->message ==
        "octets invalides en UTF-8 dans le champ 2 : le fichier semble être en Windows-1252 : "
        "relancez avec --encoding windows-1252");
}

TEST_CASE("CSV: a NUL byte is reported, never read as text", "[csv]") {
  const std::string text = std::string("a,b\n1,x\0y\n2,z\n", 14);
  const Parsed p = parse(text);
  REQUIRE(p.rows.size() == 2);
  REQUIRE(p.rows[0].error);
  CHECK(p.rows[0].error->kind == CsvErrorKind::NulByte);
  CHECK(p.rows[0].error->column == 2);
  CHECK_FALSE(p.rows[1].error);
}

TEST_CASE("CSV: invalid UTF-8 is reported with line and field", "[csv]") {
  const std::string text =
      "a;b;c;d\n"
      "1;2;3;caf\xE9\n"
      "\"multi\nline\";x;\"\xFF\";z\n"  // lines 3-4, bad byte on line 4, field 3
      "ok;ok;ok;ok\n";
  const Parsed p = parse(text);
  REQUIRE(p.rows.size() == 3);
  REQUIRE(p.rows[0].error);
  CHECK(p.rows[0].error->kind == CsvErrorKind::InvalidUtf8);
  CHECK(p.rows[0].error->line == 2);
  CHECK(p.rows[0].error->column == 4);
  CHECK(p.rows[0].error->message == "octets invalides en UTF-8 dans le champ 4");
  CHECK(p.rows[0].fields.size() == 4);
  REQUIRE(p.rows[1].error);
  CHECK(p.rows[1].error->kind == CsvErrorKind::InvalidUtf8);
  CHECK(p.rows[1].error->line == 4);
  CHECK(p.rows[1].error->column == 3);
  CHECK(p.rows[1].line == 3);
  CHECK_FALSE(p.rows[2].error);
  CHECK(p.rows[2].line == 5);
  check_all_buffer_sizes(text);
}

TEST_CASE("CSV: invalid UTF-8 in the header", "[csv]") {
  const Parsed p = parse("a,\xC3(\n1,2\n");
  CHECK(p.has_header);
  REQUIRE(p.header_error);
  CHECK(p.header_error->kind == CsvErrorKind::InvalidUtf8);
  CHECK(p.header_error->column == 2);
  CHECK(p.rows.size() == 1);
}

TEST_CASE("CSV: records longer than the buffer", "[csv]") {
  const std::string big(5000, 'x');
  std::string quoted_big;
  for (int i = 0; i < 700; ++i) quoted_big += "ab\"\"c\n;,";
  const std::string text = "h1;h2;h3\n" + big + ";\"" + quoted_big + "\";" + big + "\nend;1;2\n";
  for (std::size_t size : std::vector<std::size_t>{16, 100, 1024, 4096, std::size_t{1} << 20}) {
    CsvOptions options;
    options.buffer_size = size;
    const Parsed p = parse(text, options);
    INFO("buffer size " << size);
    REQUIRE(p.rows.size() == 2);
    REQUIRE(p.rows[0].fields.size() == 3);
    CHECK(p.rows[0].fields[0] == big);
    std::string expected;
    for (int i = 0; i < 700; ++i) expected += "ab\"c\n;,";
    CHECK(p.rows[0].fields[1] == expected);
    CHECK(p.rows[0].fields[2] == big);
    CHECK_FALSE(p.rows[0].error);
    CHECK(p.rows[1].fields == Fields{"end", "1", "2"});
    CHECK(p.rows[1].line == 2 + 700 + 1);
  }
}

TEST_CASE("CSV: many records across buffer refills", "[csv]") {
  std::string text = "n,texte,montant\r\n";
  for (int i = 1; i <= 3000; ++i) {
    text += std::to_string(i) + ",\"Électricité, \"\"lot\"\" " + std::to_string(i) + "\nsuite\"," +
            std::to_string(i * 3) + "\r\n";
  }
  CsvOptions options;
  options.buffer_size = 4096;
  const Parsed p = parse(text, options);
  REQUIRE(p.rows.size() == 3000);
  for (std::size_t i = 0; i < p.rows.size(); ++i) {
    const int n = static_cast<int>(i) + 1;
    REQUIRE(p.rows[i].fields == Fields{std::to_string(n),
                                       "Électricité, \"lot\" " + std::to_string(n) + "\nsuite",
                                       std::to_string(n * 3)});
    REQUIRE(p.rows[i].line == 2 + 2 * i);
    REQUIRE(p.rows[i].number == i + 1);
    REQUIRE_FALSE(p.rows[i].error);
  }
}

TEST_CASE("CSV: a large campaign's buffer grows between records, none lost", "[csv]") {
  // Past 1 MiB read, the reader reads 256 KiB at a time: the buffer grows while a record
  // is cut across it, from the default size and from a small one, framed or not.
  std::string text = "n,texte,montant\n";
  std::size_t rows = 0;
  while (text.size() < (std::size_t{3} << 20)) {
    ++rows;
    text += std::to_string(rows) + ",\"Électricité, \"\"lot\"\" " + std::to_string(rows) +
            "\nsuite\"," + std::to_string(rows * 3) + "\n";
  }
  for (const std::size_t size : {std::size_t{4096}, CsvOptions{}.buffer_size}) {
    for (const Reading reading : {Reading::Next, Reading::Framed}) {
      CsvOptions options;
      options.buffer_size = size;
      const Parsed p = parse(text, options, reading);
      INFO("buffer size " << size << (reading == Reading::Framed ? ", framed" : ", next()"));
      REQUIRE(p.rows.size() == rows);
      for (std::size_t i = 0; i < p.rows.size(); ++i) {
        const std::string n = std::to_string(i + 1);
        REQUIRE(p.rows[i].fields ==
                Fields{n, "Électricité, \"lot\" " + n + "\nsuite", std::to_string((i + 1) * 3)});
        REQUIRE(p.rows[i].line == 2 + 2 * i);
        REQUIRE_FALSE(p.rows[i].error);
      }
    }
  }
}

TEST_CASE("CSV: small buffers give the same result on mixed input", "[csv]") {
  check_all_buffer_sizes(
      "\xEF\xBB\xBF\"a\";b;\"c\"\"\"\r\n"
      "\r\n"
      "1;\"x;\ny\";3\r\n"
      "2;bad\"quote;3\n"
      "\"after\"x;;\n"
      "4;\xC3\xA9\xC3;5\n"
      ";;\n"
      "last;\"open\n"
      "tail;1;2");
}

TEST_CASE("CSV: framed then split agrees with next() on random records", "[csv]") {
  // Fields of every length across the splitter's 64-byte chunks, quoted or not, with
  // separators, "" pairs and line ends in quotes, accents, and some bad bytes (NUL,
  // invalid UTF-8) and stray quotes (records that are not regular).
  if (tamis::io::best_simd_level() != tamis::io::SimdLevel::Avx512)
    WARN("this processor has no AVX-512: its splitter is not tested here");
  std::mt19937 random(2024);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  const std::vector<std::string> pieces{"a",   "Vélo", ";", "\"\"", "\n",        "é",
                                        "x y", "’",    "€", "😀",    "0123456789"};
  // Bytes that are not UTF-8: a lead byte alone, a continuation byte alone, a
  // three-byte sequence cut short, an overlong form.
  const std::vector<std::string> bad_bytes{"\xC3", "\xA9", "\xE2\x82", "\xC0\x80"};
  std::string text = "id;b;c;d\n";
  for (int row = 0; row < 600; ++row) {
    const std::size_t fields = 1 + pick(6);
    for (std::size_t f = 0; f < fields; ++f) {
      if (f > 0) text += ';';
      std::string cell;
      const std::size_t size = pick(40);
      while (cell.size() < size) cell += pieces[pick(pieces.size())];
      const std::size_t kind = pick(20);
      if (kind < 8) {
        text += '"' + cell + '"';
        continue;
      }
      // Unquoted: no separator, quote or line end, but now and then a bad byte.
      std::string plain;
      for (const char c : cell)
        if (c != ';' && c != '"' && c != '\n') plain += c;
      if (kind == 8) plain.insert(plain.size() / 2, 1, '\0');
      if (kind == 9) plain.insert(pick(plain.size() + 1), bad_bytes[pick(bad_bytes.size())]);
      if (kind == 10) plain.insert(plain.size() / 2, "\"");
      text += plain;
    }
    text += pick(4) == 0 ? "\r\n" : "\n";
  }
  check_all_buffer_sizes(text);
}

TEST_CASE("CSV: UTF-8 is checked across the splitter's 64-byte chunks", "[csv]") {
  // Records of every length around 64 and 128 bytes whose last bytes, or the bytes at a
  // chunk boundary, are a sequence cut in two (valid) or a lead byte alone (invalid).
  std::string text = "id,texte\n";
  for (const std::string& tail :
       {std::string("é"), std::string("’"), std::string("\xC3"), std::string("\xE2\x80")}) {
    for (std::size_t size = 55; size <= 130; ++size) {
      text += "1,";
      text += std::string(size - 2 - tail.size(), 'a');  // the record is `size` bytes
      text += tail;
      text += '\n';
      text += "2," + std::string(size - 2, 'b') + tail + "x\n";
    }
  }
  const Parsed parsed = parse(text);
  REQUIRE(parsed.rows.size() == 4 * 76 * 2);
  std::size_t rejected = 0;
  for (const auto& row : parsed.rows) rejected += row.error.has_value() ? 1u : 0u;
  CHECK(rejected == 2 * 76 * 2);  // the two tails that are not UTF-8
  check_all_buffer_sizes(text);
}

TEST_CASE("CSV: three- and four-byte sequences across the splitter's 64-byte chunks", "[csv]") {
  // A chunk holding a sequence of three or four bytes is checked sequence by sequence,
  // through the end of a sequence it cuts, and the chunks after it by masks again:
  // such a sequence on every byte around 64 and 128, then text that is valid, a
  // continuation byte alone, a lead byte alone, or another such sequence a chunk later.
  std::string text = "id,texte\n";
  std::size_t invalid = 0;
  for (const std::string& cut : {std::string("’"), std::string("😀"), std::string("é")}) {
    for (const std::string& after :
         {std::string(), std::string("é") + std::string(70, 'c'), std::string("\x80"),
          std::string(66, 'd') + "\xC3", std::string(60, 'e') + "–" + std::string(3, 'f')}) {
      for (std::size_t size = 56; size <= 132; ++size) {
        text += "1," + std::string(size, 'a') + cut + after + '\n';
        invalid += after == "\x80" || (!after.empty() && after.back() == '\xC3') ? 1u : 0u;
      }
    }
  }
  const Parsed parsed = parse(text);
  REQUIRE(parsed.rows.size() == 3 * 5 * 77);
  std::size_t rejected = 0;
  for (const auto& row : parsed.rows) rejected += row.error.has_value() ? 1u : 0u;
  CHECK(rejected == invalid);
  check_all_buffer_sizes(text);
}

TEST_CASE("CSV: three-byte sequences checked by masks, and those they leave to be checked",
          "[csv]") {
  // The splitter checks the leads E1..EC and EE..EF by masks (scan::utf8_lead3), and leaves
  // E0 and ED (whose second byte has a narrower range), a lead cut short, a continuation
  // byte too many and four-byte sequences to be checked sequence by sequence: each on
  // every byte around 64 and 128, alone, twice side by side, after a dash, or ending the
  // record, read with each instruction set, all fields or some (RecordSplitter::read_only).
  const std::vector<std::pair<std::string, bool>> sequences{
      {"\xE2\x80\x99", true},    {"\xE1\x80\x80", true}, {"\xEF\xBF\xBF", true},
      {"\xEC\xBF\x80", true},    {"\xEE\x80\xBF", true}, {"\xED\x9F\xBF", true},
      {"\xED\xA0\x80", false},   {"\xE0\xA0\x80", true}, {"\xE0\x80\x80", false},
      {"\xE2\x80", false},       {"\xE2", false},        {"\xE2\x80\x99\x80", false},
      {"\xF0\x9F\x98\x80", true}};
  std::string text = "id,texte,fin\n";
  std::size_t invalid = 0;
  std::size_t rows = 0;
  for (const auto& [sequence, valid] : sequences) {
    for (std::size_t size = 54; size <= 132; ++size) {
      const std::string pad(size, 'a');
      text += "1," + pad + sequence + "b,c\n";
      text += "2," + pad + sequence + sequence + "é,c\n";
      text += "3,b," + pad + sequence + "\n";
      text += "4," + pad + "\xE2\x80\x94" + sequence + ",c\n";  // after a dash cut by a chunk
      rows += 4;
      invalid += valid ? 0u : 4u;
    }
  }
  const Parsed parsed = parse(text);
  REQUIRE(parsed.rows.size() == rows);
  std::size_t rejected = 0;
  for (const auto& row : parsed.rows) rejected += row.error.has_value() ? 1u : 0u;
  CHECK(rejected == invalid);
  check_all_buffer_sizes(text);
  for (const auto& columns : std::vector<std::vector<std::size_t>>{{0}, {1}, {0, 2}})
    CHECK(check_wanted_fields(text, columns) > 0);
}

TEST_CASE("CSV: a NUL byte is found on any byte of records of any length", "[csv]") {
  // The splitter looks for NUL bytes over whole chunks, the 64 bytes that end a record
  // and a short record copied to a block's end: a NUL byte first, in the middle or last.
  std::string text = "id,texte\n";
  for (std::size_t size = 1; size <= 140; ++size) {
    for (const std::size_t at : {std::size_t{0}, size / 2, size - 1}) {
      std::string cell(size, 'a');
      cell[at] = '\0';
      text += "1," + cell + '\n';
    }
  }
  for (const auto level : tamis::io::simd_levels_run_here()) {
    CsvOptions options;
    options.simd = level;
    INFO(level_name(level));
    const Parsed parsed = parse(text, options, Reading::Framed);
    REQUIRE(parsed.rows.size() == 140 * 3);
    for (const auto& row : parsed.rows) {
      INFO("line " << row.line);
      REQUIRE(row.error.has_value());
      CHECK(row.error->kind == CsvErrorKind::NulByte);
    }
  }
}

TEST_CASE("CSV: records of every length under 64 bytes, copied to a block's end", "[csv]") {
  // The splitter copies a record shorter than 64 bytes to the end of a block, by copies of
  // 32, 16, 8 or 4 bytes that overlap, or byte by byte under 4 bytes: records of 1 to 70
  // bytes with their separator, a quoted field's end or an accent on every byte, read whole
  // and with some fields read (RecordSplitter::read_only).
  std::string text = "a,b\n";
  for (std::size_t size = 1; size <= 70; ++size) {
    for (std::size_t at = 0; at < size; ++at) {
      text += std::string(at, 'x') + ',' + std::string(size - at - 1, 'y') + '\n';
      if (at >= 2)
        text += '"' + std::string(at - 2, 'q') + "\"," + std::string(size - at - 1, 'y') + '\n';
      if (at + 2 <= size)
        text += std::string(at, 'x') + "\xC3\xA9" + std::string(size - at - 2, 'z') + '\n';
    }
  }
  check_all_buffer_sizes(text);
  for (const auto& columns : std::vector<std::vector<std::size_t>>{{0}, {1}, {0, 1}})
    CHECK(check_wanted_fields(text, columns) > 0);
}

TEST_CASE("CSV: the line end taken off the last field only, of records of any length", "[csv]") {
  // The splitter reads a record's chunks with its line end (LF, CRLF, or CR ending the input)
  // and takes it off the last field only: that field empty, plain, quoted, with a "" pair, or
  // ending with a lead byte cut short, its line end on every byte around 64 and 128, read
  // whole and with the last field read or not (RecordSplitter::read_only).
  for (const std::string line_end : {"\n", "\r\n"}) {
    INFO("line end " << (line_end == "\n" ? "LF" : "CRLF"));
    std::string text = "a,b,c" + line_end;
    for (std::size_t size = 1; size <= 140; ++size) {
      const std::string pad(size, 'x');
      text += "1," + pad + "," + line_end;
      text += "2,b," + pad + line_end;
      text += "3," + pad + ",\"q\"" + line_end;
      text += "4," + pad + ",\"q\"\"r\"" + line_end;
      text += "5,\"\"\"\"," + pad + "\xC3" + line_end;
      text += "6," + pad + ",\xC3\xA9" + line_end;
    }
    text += "7,b,c\r";  // CR alone ending the input
    check_all_buffer_sizes(text);
    for (const auto& columns : std::vector<std::vector<std::size_t>>{{0}, {1}, {2}, {1, 2}})
      CHECK(check_wanted_fields(text, columns) > 0);
  }
}

TEST_CASE("CSV: quotes and \"\" pairs at the splitter's 64-byte chunk edges", "[csv]") {
  // A quoted field whose "" pair (or whose closing quote, or an empty quoted field)
  // falls on every byte around 64 and 128, then quoted fields after it: the splitter
  // takes a quoted field's content as the bytes between its quotes only while it has
  // met no two quotes side by side, across chunks too; and records of every length
  // whose last chunk is read as the 64 bytes that end them.
  std::string text = "id,a,b\n";
  std::vector<Fields> expected;
  for (std::size_t size = 50; size <= 140; ++size) {
    const std::string pad(size, 'x');
    text += "1,\"" + pad + "\"\"y\",\"z\"\n";
    expected.push_back({"1", pad + "\"y", "z"});
    text += "2,\"" + pad + "\",\"\"\"\"\"\"\n";
    expected.push_back({"2", pad, "\"\""});
    text += "3," + pad + ",\"\"\n";
    expected.push_back({"3", pad, ""});
    text += "4,\"\",\"" + pad + "\"\n";
    expected.push_back({"4", "", pad});
    // A closing quote that ends a chunk, and a chunk with no quote after it.
    text += "5,\"" + pad + "\"," + std::string(70, 'z') + "\n";
    expected.push_back({"5", pad, std::string(70, 'z')});
  }
  check_all_buffer_sizes(text);
  check_framed_rows(text, expected);
}

TEST_CASE("CSV: \"\" pairs on every byte of the unescaper's 16-byte steps", "[csv]") {
  // Fields with "" pairs anywhere around 16 and 32 bytes from their start, several such fields
  // in one record (each unescaped after the one before), one of pairs only, and fields that end
  // less than 16 bytes before the record's end (read a byte at a time): read whole and with
  // some fields left out, split as next() splits them.
  std::string text = "id,a,b,c\n";
  std::vector<Fields> expected;
  for (std::size_t at = 0; at <= 40; ++at) {
    const std::string left(at, 'l');
    const std::string right(40 - at, 'r');
    const std::string a = left + "\"" + right;
    text += "1,\"" + left + "\"\"" + right + "\",\"" + right + "\"\"\"\"" + left +
            "\",\"\"\"\"\"\"\"\"\"\n";
    expected.push_back({"1", a, right + "\"\"" + left, "\"\"\"\""});
    text += "2,\"x\"\"" + left + "\",plain,\"" + left + "\"\"y\"\r\n";
    expected.push_back({"2", "x\"" + left, "plain", left + "\"y"});
    text += "3,\"\",\"" + std::string(at, '"') + std::string(at, '"') + "\",\"" + right + "\"\n";
    expected.push_back({"3", "", std::string(at, '"'), right});
  }
  check_all_buffer_sizes(text);
  check_framed_rows(text, expected);
  for (const auto& columns : std::vector<std::vector<std::size_t>>{{1}, {3}, {1, 2}, {0, 3}})
    CHECK(check_wanted_fields(text, columns) > 0);
}

TEST_CASE("CSV: fields written by append_csv_field read back as they were", "[csv]") {
  const Fields cells{"plain",      "a,b",  "say \"hi\"", "\"",    "\"\"",
                     "two\nlines", "cr\r", "",           "é, «ü»"};
  std::string text = "h";
  for (std::size_t i = 1; i < cells.size(); ++i) text += ",h" + std::to_string(i);
  text += '\n';
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) text += ',';
    tamis::io::append_csv_field(text, cells[i]);
  }
  text += '\n';
  CHECK(text.find("\"say \"\"hi\"\"\"") != std::string::npos);
  const Parsed parsed = parse(text);
  REQUIRE(parsed.rows.size() == 1);
  CHECK_FALSE(parsed.rows[0].error.has_value());
  CHECK(parsed.rows[0].fields == cells);
  check_all_buffer_sizes(text);
}

TEST_CASE("CSV: a splitter told which fields are read stores those, counts the others", "[csv]") {
  // Random records of 1 to 6 fields under a header of 4, quoted or not, with "" pairs,
  // line ends in quotes, accents, bad bytes and stray quotes: only a record of 4 fields
  // with clean bytes keeps the fields not read unstored; any other is split whole.
  std::mt19937 random(7);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  const std::vector<std::string> pieces{"a", "Vélo", ";", "\"\"", "\n", "’", "0123456789"};
  std::string text = "id;b;c;d\n";
  for (int row = 0; row < 400; ++row) {
    const std::size_t fields = pick(3) == 0 ? 1 + pick(6) : 4;
    for (std::size_t f = 0; f < fields; ++f) {
      if (f > 0) text += ';';
      std::string cell;
      const std::size_t size = pick(50);
      while (cell.size() < size) cell += pieces[pick(pieces.size())];
      const std::size_t kind = pick(20);
      if (kind < 8) {
        text += '"' + cell + '"';
        continue;
      }
      std::string plain;
      for (const char c : cell)
        if (c != ';' && c != '"' && c != '\n') plain += c;
      if (kind == 8) plain.insert(plain.size() / 2, 1, '\0');
      if (kind == 9) plain.insert(pick(plain.size() + 1), "\xC3");
      if (kind == 10) plain.insert(plain.size() / 2, "\"");
      text += plain;
    }
    text += pick(4) == 0 ? "\r\n" : "\n";
  }
  for (const auto& columns : std::vector<std::vector<std::size_t>>{
           {0, 2}, {1, 3}, {3}, {0}, {0, 1, 2, 3}, {2, 1}, {1, 9}}) {
    INFO("columns " << columns.size() << ", first " << columns[0]);
    CHECK(check_wanted_fields(text, columns) > 0);
  }
}

TEST_CASE("CSV: a splitter told no field of the record is read stores every field", "[csv]") {
  // read_only with its columns past the header's field count, or never called: every
  // record split whole, as next() splits it.
  const std::string text = "a;b;c\n1;\"x;y\";z\n2;\"\"\"q\"\"\";\n3;4\n" + std::string(70, 'v') +
                           ";w;\"" + std::string(70, 'u') + "\"\n";
  const Parsed reference = parse(text);
  for (const auto level : tamis::io::simd_levels_run_here()) {
    for (const bool told : {false, true}) {
      INFO(level_name(level) << (told ? ", told columns 5 and 7" : ", not told"));
      std::istringstream in(text);
      CsvOptions options;
      options.simd = level;
      CsvReader reader(in, options);
      std::vector<std::string> header;
      reader.read_header(header);
      tamis::io::RecordSplitter splitter(reader.separator(), level);
      if (told) splitter.read_only({5, 7}, header.size());
      tamis::io::RawRecord raw;
      CsvRecord record;
      std::optional<CsvError> error;
      std::size_t i = 0;
      for (; reader.next_raw(raw); ++i) {
        REQUIRE(i < reference.rows.size());
        splitter.split(raw, record, error);
        CHECK(!error.has_value());
        CHECK(std::vector<std::string>(record.fields.begin(), record.fields.end()) ==
              reference.rows[i].fields);
      }
      CHECK(i == reference.rows.size());
    }
  }
}

TEST_CASE("CSV: the fields after the last one read, passed or counted", "[csv]") {
  // Under a header of 10 fields, random records of 1 to 20 fields (more than the header's
  // past the field vector's end), quoted or not, long enough to span several 64-byte chunks,
  // with "" pairs, accents, bad bytes and stray quotes. Read up to a late field, the
  // splitter passes the fields after it one by one; up to an early one, it counts them in
  // the chunks after (RecordSplitter::read_only chooses).
  std::mt19937 random(11);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  const std::vector<std::string> pieces{"a", "Vélo", ",", "\"\"", "’", "0123456789", " "};
  std::string text = "c0,c1,c2,c3,c4,c5,c6,c7,c8,c9\n";
  for (int row = 0; row < 500; ++row) {
    const std::size_t fields = pick(3) == 0 ? 1 + pick(20) : 10;
    for (std::size_t f = 0; f < fields; ++f) {
      if (f > 0) text += ',';
      std::string cell;
      const std::size_t size = pick(4) == 0 ? pick(120) : pick(12);
      while (cell.size() < size) cell += pieces[pick(pieces.size())];
      const std::size_t kind = pick(24);
      if (kind < 6) {
        text += '"' + cell + '"';
        continue;
      }
      std::string plain;
      for (const char c : cell)
        if (c != ',' && c != '"') plain += c;
      if (kind == 6) plain.insert(plain.size() / 2, 1, '\0');
      if (kind == 7) plain.insert(pick(plain.size() + 1), "\xC3");
      if (kind == 8) plain.insert(plain.size() / 2, "\"");
      text += plain;
    }
    text += pick(4) == 0 ? "\r\n" : "\n";
  }
  for (const auto& columns :
       std::vector<std::vector<std::size_t>>{{1, 3}, {0}, {2, 7}, {9}, {0, 5}, {4, 6}, {8, 1}}) {
    INFO("columns " << columns.size() << ", first " << columns[0]);
    CHECK(check_wanted_fields(text, columns) > 0);
  }
}

TEST_CASE("CSV: fields read and not read at the splitter's 64-byte chunk edges", "[csv]") {
  // Quoted fields, "" pairs and empty fields ending on every byte around 64 and 128,
  // read or not; and 70 fields a record, many of them empty (more than 56 fields end in
  // one chunk), read up to field 63 (the fields after the last one read are only
  // counted), or with a field read past the 64th (every field stored), with records of
  // 69 and 71 fields among them.
  std::string text = "id,a,b\n";
  for (std::size_t size = 50; size <= 140; ++size) {
    const std::string pad(size, 'x');
    text += "1,\"" + pad + "\"\"y\",\"z\"\n";
    text += "2,\"" + pad + "\",\"\"\"\"\"\"\n";
    text += "3," + pad + ",\"\"\n";
    text += "4,\"\",\"" + pad + "\"\n";
    text += "5,\"" + pad + "\"," + std::string(70, 'z') + "\n";
    text += "6," + pad + "\n";
  }
  for (const auto& columns : std::vector<std::vector<std::size_t>>{{0}, {1}, {2}, {0, 2}, {1, 2}})
    CHECK(check_wanted_fields(text, columns) > 0);

  std::string wide = "c0";
  for (int f = 1; f < 70; ++f) wide += ",c" + std::to_string(f);
  wide += '\n';
  for (std::size_t size = 0; size <= 80; ++size) {
    for (const int fields : {70, 69, 71}) {
      for (int f = 0; f < fields; ++f) {
        if (f > 0) wide += ',';
        if (f % 7 == 3) wide += "\"" + std::string(size, 'q') + "\"";
        if (f % 11 == 5) wide += std::string(size, 'p');
      }
      wide += '\n';
    }
  }
  for (const auto& columns :
       std::vector<std::vector<std::size_t>>{{0, 3, 5, 63}, {62}, {3, 10, 40}, {2, 64}})
    check_wanted_fields(wide, columns);
  CHECK(check_wanted_fields(wide, {0, 3, 5, 63}) > 0);
}

TEST_CASE("CSV: an inner line reads as a record with an identifier of at most 40 characters",
          "[csv]") {
  // A quote left open on line 2; line 3 begins with a code identifier of 40 characters
  // (it reads as a record: the quote was likely left open) or 41 (no identifier: the
  // text goes on), or with the same code between quotes ("" pairs: a first field that
  // begins with a quote never reads as an identifier); the quote closes on line 4, whose
  // text reads as no record.
  const std::string code40 = "A-_./" + std::string(34, 'b') + "1";
  const std::string code41 = "A-_./" + std::string(35, 'b') + "1";
  const Parsed cut = parse("id,titre,c\nA-1,\"sans fin,z\n" + code40 + ",x,y\nfin\",w\n");
  REQUIRE(cut.rows.size() == 3);
  REQUIRE(cut.rows[0].error);
  CHECK(cut.rows[0].error->kind == CsvErrorKind::QuoteLikelyUnclosed);
  CHECK(cut.rows[1].fields == Fields{code40, "x", "y"});
  for (const std::string& first : {code41, "\"\"" + code40 + "\"\""}) {
    INFO(first);
    const std::string text = "id,titre,c\nA-1,\"sans fin,z\n" + first + ",x,y\nfin\",w\n";
    const Parsed whole = parse(text);
    REQUIRE(whole.rows.size() == 1);
    CHECK_FALSE(whole.rows[0].error);
    const std::string content = first == code41 ? code41 : "\"" + code40 + "\"";
    CHECK(whole.rows[0].fields == Fields{"A-1", "sans fin,z\n" + content + ",x,y\nfin", "w"});
    check_all_buffer_sizes(text);
  }
  check_all_buffer_sizes("id,titre,c\nA-1,\"sans fin,z\n" + code40 + ",x,y\nfin\",w\n");
}

TEST_CASE("CSV: a quote left open after a quoted first field", "[csv]") {
  // The inner line "B-2,x,y" reads as a record when its identifier has the shape of the
  // record's first field, taken between its quotes: a code ("A-1") or, with a "" pair
  // in it ("1""2"), no identifier, which any shape matches; not a number ("12").
  const auto text = [](const std::string& first) {
    return "id,titre,c\n" + first + ",\"sans fin,z\nB-2,x,y\nfin\",w\n";
  };
  for (const std::string& first : {std::string("\"A-1\""), std::string("\"1\"\"2\"")}) {
    INFO(first);
    const Parsed cut = parse(text(first));
    REQUIRE(cut.rows.size() >= 2);
    REQUIRE(cut.rows[0].error);
    CHECK(cut.rows[0].error->kind == CsvErrorKind::QuoteLikelyUnclosed);
    CHECK(cut.rows[1].fields == Fields{"B-2", "x", "y"});
    check_all_buffer_sizes(text(first));
  }
  const Parsed whole = parse(text("\"12\""));
  REQUIRE(whole.rows.size() == 1);
  CHECK_FALSE(whole.rows[0].error);
  CHECK(whole.rows[0].fields == Fields{"12", "sans fin,z\nB-2,x,y\nfin", "w"});
  check_all_buffer_sizes(text("\"12\""));
}

namespace {

// A record as the reader framed it, its bytes copied.
struct Framed {
  std::string bytes;
  std::size_t line = 0;
  std::size_t number = 0;
  bool regular = false;
  bool quote_cut = false;
  bool operator==(const Framed&) const = default;
};

// The records next_raw() frames one at a time (CsvReader::Impl::frame for each).
std::vector<Framed> framed_one_by_one(const std::string& text, const CsvOptions& options) {
  std::istringstream in(text);
  CsvReader reader(in, options);
  std::vector<std::string> header;
  reader.read_header(header);
  std::vector<Framed> out;
  tamis::io::RawRecord raw;
  while (reader.next_raw(raw))
    out.push_back({std::string(raw.bytes), raw.line, raw.number, raw.regular, raw.quote_cut});
  return out;
}

// The records next_raws() frames in batches of at most `max_records` and `max_bytes` (the
// campaign's way: CsvReader::Impl::frame_stream, and frame() for the others), checking the
// limits of each batch as next_raws states them and that the buffers it holds are each
// held once; the bytes are copied once every batch is read (they stay where they were).
std::vector<Framed> framed_in_batches(const std::string& text, const CsvOptions& options,
                                      std::size_t max_records, std::size_t max_bytes) {
  std::istringstream in(text);
  CsvReader reader(in, options);
  std::vector<std::string> header;
  reader.read_header(header);
  std::vector<std::vector<tamis::io::RawRecord>> batches;
  std::vector<std::shared_ptr<const void>> held;
  for (bool more = true; more;) {
    std::vector<tamis::io::RawRecord> batch;
    std::size_t bytes = 0;
    more = reader.next_raws(batch, max_records, bytes, max_bytes, held);
    std::size_t sum = 0;
    for (const auto& raw : batch) sum += raw.bytes.size();
    REQUIRE(sum == bytes);
    if (more) REQUIRE((batch.size() == max_records || bytes >= max_bytes));
    REQUIRE(batch.size() <= max_records);
    if (!batch.empty()) REQUIRE(bytes - batch.back().bytes.size() < max_bytes);
    batches.push_back(std::move(batch));
  }
  for (std::size_t i = 0; i < held.size(); ++i)
    for (std::size_t j = i + 1; j < held.size(); ++j) REQUIRE(held[i] != held[j]);
  std::vector<Framed> out;
  for (const auto& batch : batches)
    for (const auto& raw : batch)
      out.push_back({std::string(raw.bytes), raw.line, raw.number, raw.regular, raw.quote_cut});
  return out;
}

// Framing in batches agrees with framing one record at a time, record by record (bytes,
// line, number, regular, quote_cut), for every instruction set, buffer size and batch
// limits here.
void check_framing_in_batches(const std::string& text) {
  for (const auto level : tamis::io::simd_levels_run_here()) {
    for (const std::size_t size :
         std::vector<std::size_t>{1, 7, 63, 64, 65, 100, 129, 1000, 4096, 1 << 16}) {
      CsvOptions options;
      options.buffer_size = size;
      options.simd = level;
      const std::vector<Framed> expected = framed_one_by_one(text, options);
      for (const auto& [max_records, max_bytes] : std::vector<std::pair<std::size_t, std::size_t>>{
               {1, 1 << 30}, {5, 300}, {3, 1}, {1000, 1 << 30}, {7, 129}, {1 << 30, 4000}}) {
        INFO(level_name(level) << ", buffer size " << size << ", batches of " << max_records
                               << " records, " << max_bytes << " bytes");
        const std::vector<Framed> framed = framed_in_batches(text, options, max_records, max_bytes);
        REQUIRE(framed.size() == expected.size());
        for (std::size_t i = 0; i < framed.size(); ++i) {
          INFO("record " << i << ": " << expected[i].bytes);
          CHECK(framed[i].bytes == expected[i].bytes);
          CHECK(framed[i].line == expected[i].line);
          CHECK(framed[i].number == expected[i].number);
          CHECK(framed[i].regular == expected[i].regular);
          CHECK(framed[i].quote_cut == expected[i].quote_cut);
        }
      }
    }
  }
}

}  // namespace

TEST_CASE("CSV: framing in batches agrees with framing record by record on random records",
          "[csv]") {
  // Records framed a chunk of 64 bytes at a time across records (frame_stream) and those
  // it hands over to frame(): quoted fields anywhere in the chunks, "" pairs, separators
  // in quotes, fields over several lines (some of whose inner lines read as records: a
  // quote likely left open), CR in fields and before line ends, CRLF, empty lines (LF and
  // CRLF), stray quotes, text after a closing quote, and the end of input with or without
  // a line end or with a CR alone.
  for (const char separator : {',', ';'}) {
    std::mt19937 random(separator == ',' ? 11 : 12);
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
    const std::string sep(1, separator);
    const std::vector<std::string> pieces{"a", "Vélo", sep,    "\"\"", "\n", "\r\n", "x y",
                                          "é", "\r",   "0123", "12",   "b",  "cc"};
    for (int variant = 0; variant < 6; ++variant) {
      std::string text = "id" + sep + "b" + sep + "c" + sep + "d\n";
      for (int row = 0; row < 300; ++row) {
        const std::size_t fields = pick(8) == 0 ? 1 + pick(6) : 4;
        for (std::size_t f = 0; f < fields; ++f) {
          if (f > 0) text += separator;
          std::string cell;
          const std::size_t size = pick(70);
          while (cell.size() < size) cell += pieces[pick(pieces.size())];
          const std::size_t kind = pick(24);
          if (kind < 8) {
            // Quoted: on one line mostly.
            if (kind > 1)
              for (char& c : cell)
                if (c == '\n' || c == '\r') c = ' ';
            text += '"' + cell + '"';
            if (kind == 7 && pick(4) == 0) text += "after";  // text after the closing quote
            continue;
          }
          if (kind == 8) {  // over several lines, an inner line that reads as a record
            text += "\"open\n" + std::to_string(100 + row) + sep + "2" + sep + "3" + sep + "4\"";
            continue;
          }
          std::string plain;
          for (const char c : cell)
            if (c != separator && c != '"' && c != '\n' && c != '\r') plain += c;
          if (kind == 9) plain.insert(pick(plain.size() + 1), "\"");   // a stray quote
          if (kind == 10) plain += '\r';                               // CR before the line end
          if (kind == 11) plain.insert(pick(plain.size() + 1), "\r");  // a CR alone
          text += plain;
        }
        text += pick(4) == 0 ? "\r\n" : "\n";
        const std::size_t empty = pick(30);
        if (empty == 0) text += "\n";
        if (empty == 1) text += "\r\n";
        if (empty == 2) text += "\r\n\n";
        if (empty == 3) text += "\r";  // a CR first in the next record
      }
      if (variant % 3 == 1) text.pop_back();  // no line end at the end
      if (variant % 3 == 2) text += "1" + sep + "\"x\"\r";
      INFO("separator " << separator << ", variant " << variant);
      check_framing_in_batches(text);
    }
  }
}

TEST_CASE("CSV: framing in batches with quotes on every byte around the 64-byte chunk edges",
          "[csv]") {
  // Each record after one that frame() frames (a stray quote), so that the chunks begin at
  // its first byte: a quoted field opening, closing, with a "" pair, closed and followed by
  // text, or a quote after text (stray), on every byte from 0 to 140; and the same records
  // one after another (chunks then begin anywhere).
  for (const char* quoted :
       {"\"q,r\"", "\"\"", "\"a\"\"b\"", "\"t\"x", "\"u\"\r\n", "\"v\"\"\"", "w\"y\""}) {
    std::string apart = "id,b,c\n";
    std::string together = apart;
    for (std::size_t at = 0; at <= 140; ++at) {
      const std::string text = at == 0 ? std::string() : std::string(at - 1, 'p') + ",";
      const std::string record = text + quoted + (std::string(quoted).back() == '\n' ? "" : ",z\n");
      apart += "s\"tray,1,2\n" + record;
      together += record;
      together += std::string(at % 7, 'w') + ",\"" + std::string(at % 5, 'k') + "\"\n";
    }
    INFO(quoted);
    check_framing_in_batches(apart);
    check_framing_in_batches(together);
  }
}

TEST_CASE(
    "CSV: framing in batches of fields over several lines whose inner lines begin with a word",
    "[csv]") {
  // The stream frames a record with a field over several lines by its chunks' masks, turning
  // down each inner line where its first word ends (inner_line_may_read): words of 39 to 42
  // letters or digits (an identifier has at most 40), followed by a separator (the line may
  // then read as a record, whose quote was likely left open), a space, a CR, CRLF or LF, a
  // quote; at a few offsets in the chunks. (Fails with the word cut at 39 bytes.)
  std::string text = "id,b,c\n";
  const std::vector<std::string> after{",x,y", ",x", " x,y", "\r,y", "\r\n", "\n", "\",", ""};
  std::size_t row = 0;
  for (std::size_t length = 39; length <= 42; ++length)
    for (const bool digit : {false, true})
      for (const std::string& rest : after)
        for (std::size_t pad = 0; pad < 70; pad += 23) {
          // Digits: the shape of the record's own first field, as a swallowed record's.
          const std::string word = digit ? std::string(length, '7') : std::string(length, 'a');
          text += std::to_string(++row) + "," + std::string(pad, 'p') + ",\"t\n" + word + rest;
          if (rest != "\",") text += "\"";  // closes the field, unless the rest did
          text += ",z\n";
        }
  check_framing_in_batches(text);
  check_all_buffer_sizes(text);
}

TEST_CASE("CSV: framing in batches of inner lines cut by the end of the bytes read", "[csv]") {
  // An inner line that may read as a record ("12," first) cut by the end of the bytes read, at
  // every offset of the buffers below: inner_line_may_read reads no byte past that end (the
  // sanitized build checks it) and leaves such a record to frame_regular.
  std::string text = "id,b,c\n";
  for (std::size_t pad = 0; pad < 130; ++pad)
    text += std::to_string(pad + 1) + "," + std::string(pad, 'p') + ",\"t\n12," +
            std::string(pad % 70, 'b') + "\",z\n";
  check_framing_in_batches(text);
  check_all_buffer_sizes(text);
}

TEST_CASE("CSV: framing in batches with a long field at the end of the bytes read", "[csv]") {
  // frame_stream reads the chunks up to the last one that holds a quote or a line feed,
  // found backwards from the end of the bytes read: after a field of up to 1,500 bytes
  // without either (at the end of input, or cut by the end of the buffer), among records
  // of every length, quoted or not, followed by a line end or not.
  std::mt19937 random(7);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  for (int variant = 0; variant < 12; ++variant) {
    std::string text = "id,b,c\n";
    for (int row = 0; row < 40; ++row) {
      text += std::to_string(row) + ",";
      text +=
          pick(3) == 0 ? "\"q, " + std::string(pick(90), 'r') + "\"" : std::string(pick(90), 's');
      text += "," + std::string(pick(4) == 0 ? 200 + pick(1300) : pick(20), 'l');
      text += pick(5) == 0 ? "\r\n" : "\n";
    }
    text += "end," + std::string(static_cast<std::size_t>(variant) * 130, 'x');
    if (variant % 2 == 1) text += "\n";
    INFO("variant " << variant);
    check_framing_in_batches(text);
  }
}

TEST_CASE("CSV: random records split with some fields read, as next() reads them", "[csv]") {
  // Records of pieces drawn at random (quoted fields, "" pairs, stray quotes, CR, LF in
  // quotes or not, accents, a lead byte cut short, NUL bytes, 3 to 6 fields, LF or CRLF, the
  // last line end left out or not), read whole and with some fields read
  // (RecordSplitter::read_only), the last field among them or not.
  std::uint64_t state = 12345;
  const auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  const std::vector<std::string> pieces{"a",
                                        "bc",
                                        "é",
                                        "\xE2\x80\x99",
                                        ",",
                                        "\"",
                                        "\"\"",
                                        "\r",
                                        "\n",
                                        "\xC3",
                                        "\x80",
                                        std::string(1, '\0'),
                                        "xxxxxxxxxxxxxxxxxxxxxxx",
                                        ";"};
  for (int round = 0; round < 300; ++round) {
    std::string text = "a,b,c,d,e\n";
    const int rows = 1 + static_cast<int>(next() % 40);
    for (int r = 0; r < rows; ++r) {
      const std::size_t fields = 3 + next() % 4;
      for (std::size_t f = 0; f < fields; ++f) {
        if (f) text += ',';
        const bool quoted = next() % 3 == 0;
        std::string cell;
        const std::size_t parts = next() % 12;
        for (std::size_t p = 0; p < parts; ++p) {
          const std::string& piece = pieces[next() % pieces.size()];
          if (!quoted && (piece == "\"" || piece == "\"\"" || piece == "\n") && next() % 8 != 0)
            continue;
          if (quoted && piece == "\"" && next() % 8 != 0) continue;
          cell += piece;
        }
        text += quoted ? '"' + cell + '"' : cell;
      }
      text += next() % 2 ? "\r\n" : "\n";
    }
    if (next() % 3 == 0) text.pop_back();
    INFO(text);
    for (const auto& columns : std::vector<std::vector<std::size_t>>{{0}, {4}, {1, 4}, {0, 2, 3}})
      check_wanted_fields(text, columns);
  }
}
