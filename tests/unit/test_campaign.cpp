// A whole campaign: export in, one result row per input row out, counts.
#include <cstdint>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "runtime/campaign.hpp"
#include "runtime/classifier.hpp"
#include "runtime/io/csv_reader.hpp"
#include "support/text.hpp"

using tamis::runtime::CampaignReport;
using tamis::runtime::run_campaign;

namespace {

const std::string kRules = R"tamis(
énumération Cat { haut "Haut"  bas "Bas" }
énumération Dep { nord "Nord (59)" alias "59"  somme "Somme (80)" alias "80" }
schéma D {
  id      : entier   colonne "ID"
  montant : décimal  colonne "Montant"
  dep     : Dep?     colonne "Département"
}
décision cat : Cat {
  règle "R1 gros" si montant > 1000 alors haut
  règle "R2 ratio" si 100 / montant > 50 alors haut
  sinon "R3 reste" alors bas
}
sortie {
  "ID"        = id
  "categorie" = cat
  "regle"     = nom_regle(cat)
  "dep"       = dep
}
synthèse "Bilan" lignes cat colonnes dep
)tamis";

struct Run {
  CampaignReport report;
  std::string results;
};

Run run(const tamis::graph::RuleGraph& g, const std::string& csv) {
  std::istringstream in(csv);
  std::ostringstream out;
  Run r;
  r.report = run_campaign(g, in, &out);
  r.results = out.str();
  return r;
}

// The results file, parsed back.
std::vector<std::vector<std::string>> rows_of(const std::string& results) {
  std::istringstream in(results);
  tamis::io::CsvReader reader(in);
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> header;
  if (!reader.read_header(header)) return out;
  out.push_back(header);
  tamis::io::CsvRecord record;
  std::optional<tamis::io::CsvError> error;
  while (reader.next(record, error)) {
    REQUIRE_FALSE(error);
    out.emplace_back(record.fields.begin(), record.fields.end());
  }
  return out;
}

std::string reasons(const CampaignReport& r) {
  std::string out;
  for (const auto& e : r.fatal_errors) out += "fatal: " + e + "\n";
  for (const auto& row : r.rejected) {
    out += "line " + std::to_string(row.line) + " id " + row.id + ":";
    for (const auto& reason : row.reasons) out += " " + reason;
    out += "\n";
  }
  return out;
}

// Good rows, a bad value, a division by zero, a duplicate ID, a short row, a stray quote.
const std::string kMixed =
    "ID,Montant,Département\n"
    "1,2000,59\n"     // line 2: haut (R1)
    "2,abc,80\n"      // line 3: rejected, montant illisible
    "3,1,Somme\n"     // line 4: haut (R2: 100/1 > 50)
    "4,0,59\n"        // line 5: rejected, division par zéro
    "1,500,80\n"      // line 6: rejected, duplicate ID 1
    "5,500\n"         // line 7: rejected, 2 fields
    "6,\"5\"00,59\n"  // line 8: rejected, stray quote
    "7,500,\n";       // line 9: bas (R3), no department

}  // namespace

TEST_CASE("campaign: the test rules compile", "[campaign]") {
  TAMIS_COMPILE_OK(c, kRules);
}

TEST_CASE("campaign: rows read = classified + rejected", "[campaign]") {
  TAMIS_COMPILE_OK(c, kRules);
  const Run r = run(*c.graph, kMixed);
  INFO(reasons(r.report));
  CHECK(r.report.fatal_errors.empty());
  CHECK(r.report.rows_read == 8);
  CHECK(r.report.rows_classified == 3);
  CHECK(r.report.rows_rejected == 5);
  CHECK(r.report.rows_read == r.report.rows_classified + r.report.rows_rejected);
  CHECK(r.report.rejected.size() == r.report.rows_rejected);
}

TEST_CASE("campaign: every input row has a result row, in input order", "[campaign]") {
  TAMIS_COMPILE_OK(c, kRules);
  const Run r = run(*c.graph, kMixed);
  const auto rows = rows_of(r.results);
  REQUIRE(rows.size() == 1 + 8);
  CHECK(rows[0] == std::vector<std::string>{"ID", "categorie", "regle", "dep", "rejet"});
  const std::vector<std::string> ids = {"1", "2", "3", "4", "1", "5", "6", "7"};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    INFO("row " << i);
    CHECK(rows[i + 1].at(0) == ids[i]);
  }
  CHECK(rows[1] == std::vector<std::string>{"1", "haut", "R1 gros", "nord", ""});
  CHECK(rows[3] == std::vector<std::string>{"3", "haut", "R2 ratio", "somme", ""});
  CHECK(rows[8] == std::vector<std::string>{"7", "bas", "R3 reste", "", ""});
}

TEST_CASE("campaign: a rejected row keeps its ID and gives its line number", "[campaign]") {
  TAMIS_COMPILE_OK(c, kRules);
  const Run r = run(*c.graph, kMixed);
  const auto rows = rows_of(r.results);
  REQUIRE(rows.size() == 9);
  struct Expect {
    std::size_t row;  // index in the results (header is 0)
    std::size_t line;
    const char* id;
    const char* why;
  };
  for (const Expect& e : {Expect{2, 3, "2", "Montant"}, Expect{4, 5, "4", "division par zéro"},
                          Expect{5, 6, "1", "déjà présent"}, Expect{6, 7, "5", "champ(s)"},
                          Expect{7, 8, "6", "guillemet"}}) {
    INFO("line " << e.line);
    const auto& row = rows[e.row];
    REQUIRE(row.size() == 5);
    CHECK(row[0] == e.id);
    CHECK(row[1].empty());  // no category for a rejected row
    const std::string& rejet = row[4];
    CHECK(rejet.find("ligne " + std::to_string(e.line)) != std::string::npos);
    CHECK(rejet.find(e.why) != std::string::npos);
  }
  REQUIRE(r.report.rejected.size() == 5);
  CHECK(r.report.rejected[0].line == 3);
  CHECK(r.report.rejected[0].number == 2);
  CHECK(r.report.rejected[0].id == "2");
  REQUIRE(r.report.rejected[0].reasons.size() == 1);
  CHECK(r.report.rejected[0].reasons[0].find("« Montant »") != std::string::npos);
  CHECK(r.report.rejected[0].reasons[0].find("« abc »") != std::string::npos);
}

TEST_CASE("campaign: a rejected row's bad bytes are written as U+FFFD", "[campaign]") {
  // A NUL byte in the identifier, a Latin-1 « é » in the department: both rows are
  // rejected for their bytes, and their cells are written valid UTF-8, as read otherwise.
  TAMIS_COMPILE_OK(c, kRules);
  const std::string csv = "ID,Montant,Département\n7" + std::string(1, '\0') +
                          "8,12,59\n9,12,Cor\xE9"
                          "e\n";
  const Run r = run(*c.graph, csv);
  CHECK(r.report.rows_rejected == 2);
  REQUIRE(r.report.rejected.size() == 2);
  CHECK(r.report.rejected[0].fields == std::vector<std::string>{"7\uFFFD8", "12", "59"});
  CHECK(r.report.rejected[0].id == "7\uFFFD8");
  CHECK(r.report.rejected[1].fields == std::vector<std::string>{"9", "12", "Cor\uFFFDe"});
  CHECK(r.results.find('\0') == std::string::npos);
  CHECK_FALSE(tamis::text::first_invalid_utf8(r.results));
  CHECK(r.results.find("7\uFFFD8,") != std::string::npos);
  CHECK(r.results.find(",Cor\uFFFDe,") != std::string::npos);
}

TEST_CASE("campaign: duplicate IDs are rejected, the first one is kept", "[campaign]") {
  TAMIS_COMPILE_OK(c, kRules);
  const Run r = run(*c.graph, "ID,Montant,Département\n9,1,59\n9,2000,59\n9,3,80\n");
  CHECK(r.report.rows_classified == 1);
  CHECK(r.report.rows_rejected == 2);
  REQUIRE(r.report.rejected.size() == 2);
  CHECK(r.report.rejected[0].line == 3);
  CHECK(r.report.rejected[0].reasons.at(0).find("« 9 »") != std::string::npos);
  CHECK(r.report.rejected[1].line == 4);
}

TEST_CASE("campaign: duplicate IDs are detected on the decoded value", "[campaign]") {
  TAMIS_COMPILE_OK(c, kRules);
  const Run r = run(*c.graph, "ID,Montant,Département\n9,1,59\n 9 ,2,59\n");
  CHECK(r.report.rows_classified == 1);
  CHECK(r.report.rows_rejected == 1);
}

TEST_CASE("campaign: a whole-number identifier is one dossier however it is written",
          "[campaign]") {
  // Classified rows keep their identifier as a number, rejected rows as the key made from
  // their cell: either finds the other, in either order, with the line of the first.
  TAMIS_COMPILE_OK(c, kRules);
  const Run r = run(*c.graph,
                    "ID,Montant,Département\n"
                    "12,1,59\n"            // line 2: classified
                    "0012,1,xx\n"          // line 3: rejected (department), and a duplicate
                    "007,x,59\n"           // line 4: rejected (montant)
                    "7,1,59\n"             // line 5: a duplicate of 007, first rejected
                    "1234,1,59\n"          // line 6: classified
                    "1 234,1,59\n"         // line 7: a duplicate of 1234
                    "-12,1,59\n"           // line 8: classified: another number
                    "123456789012,1,59\n"  // line 9: classified
                    "123456789012,1,59\n"  // line 10: a duplicate
                    "abc,1,59\n");         // line 11: rejected, no number: no key
  CHECK(r.report.rows_classified == 4);
  REQUIRE(r.report.rejected.size() == 6);
  const auto has = [&](std::size_t i, const std::string& text) {
    INFO("rejection " << i << ": " << reasons(r.report));
    for (const auto& reason : r.report.rejected[i].reasons) {
      if (reason.find(text) != std::string::npos) return true;
    }
    return false;
  };
  CHECK(r.report.rejected[0].line == 3);
  CHECK(has(0, "« 0012 » déjà présent ligne 2"));
  CHECK(r.report.rejected[1].line == 4);
  CHECK_FALSE(has(1, "déjà présent"));
  CHECK(r.report.rejected[2].line == 5);
  CHECK(has(2, "« 7 » déjà présent ligne 4"));
  CHECK(r.report.rejected[3].line == 7);
  CHECK(has(3, "« 1 234 » déjà présent ligne 6"));
  CHECK(r.report.rejected[4].line == 10);
  CHECK(has(4, "« 123456789012 » déjà présent ligne 9"));
  CHECK(r.report.rejected[5].line == 11);
  CHECK_FALSE(has(5, "déjà présent"));
}

TEST_CASE("campaign: an optional whole-number identifier left empty is one dossier", "[campaign]") {
  // An empty identifier has no number: its key is the empty cell, met once.
  TAMIS_COMPILE_OK(c, R"tamis(
schéma D {
  id : entier? colonne "ID"
  n  : entier  colonne "N"
}
sortie { "ID" = id  "N" = n }
)tamis");
  const Run r = run(*c.graph, "ID,N\n,1\n5,2\n,3\n 5,4\n");
  CHECK(r.report.rows_classified == 2);
  REQUIRE(r.report.rejected.size() == 2);
  CHECK(r.report.rejected[0].line == 4);
  CHECK(r.report.rejected[0].reasons.at(0).find("déjà présent ligne 2") != std::string::npos);
  CHECK(r.report.rejected[1].line == 5);
  CHECK(r.report.rejected[1].reasons.at(0).find("« 5 » déjà présent ligne 3") != std::string::npos);
  CHECK(r.results ==
        "ID,N,rejet\n,1,\n5,2,\n,3,ligne 4 : identifiant «  » déjà présent ligne 2 : "
        "un dossier par identifiant\n 5,4,ligne 5 : identifiant « 5 » déjà présent "
        "ligne 3 : un dossier par identifiant\n");
}

TEST_CASE("campaign: a header-only file gives 0 rows", "[campaign]") {
  TAMIS_COMPILE_OK(c, kRules);
  const Run r = run(*c.graph, "ID,Montant,Département\n");
  CHECK(r.report.rows_read == 0);
  CHECK(r.report.rows_classified == 0);
  CHECK(r.report.rows_rejected == 0);
  CHECK(r.results == "ID,categorie,regle,dep,rejet\n");
}

TEST_CASE("campaign: an empty file is a fatal error", "[campaign]") {
  TAMIS_COMPILE_OK(c, kRules);
  for (const char* text : {"", "\n\n"}) {
    INFO("«" << text << "»");
    const Run r = run(*c.graph, text);
    REQUIRE(r.report.fatal_errors.size() == 1);
    CHECK(r.report.fatal_errors[0].find("vide") != std::string::npos);
    CHECK(r.report.rows_read == 0);
    CHECK(r.results.empty());
  }
}

TEST_CASE("campaign: a missing column is a fatal error naming it", "[campaign]") {
  TAMIS_COMPILE_OK(c, kRules);
  const Run r = run(*c.graph, "ID,Montants\n1,2\n");
  REQUIRE(r.report.fatal_errors.size() == 2);
  CHECK(r.report.fatal_errors[0].find("« Montant »") != std::string::npos);
  CHECK(r.report.fatal_errors[0].find("« Montants »") != std::string::npos);
  CHECK(r.report.fatal_errors[1].find("« Département »") != std::string::npos);
  CHECK(r.report.rows_read == 0);
}

TEST_CASE("campaign: results are byte-identical across two runs", "[campaign]") {
  TAMIS_COMPILE_OK(c, kRules);
  std::string csv = "Département;Montant;ID;Autre\n";
  for (int i = 0; i < 300; ++i) {
    csv += (i % 3 == 0   ? "59"
            : i % 3 == 1 ? "Somme"
                         : "") +
           std::string(";") + std::to_string((i * 37) % 2500) + ";" + std::to_string(i % 250) +
           ";\"x, \"\"y\"\"\"\n";
  }
  const Run a = run(*c.graph, csv);
  const Run b = run(*c.graph, csv);
  CHECK(a.report.rows_read == 300);
  CHECK(a.report.rows_rejected > 0);  // IDs repeat after 250; montant 0 divides by zero
  CHECK(a.results == b.results);
  CHECK(reasons(a.report) == reasons(b.report));
}

TEST_CASE("campaign: the file size given or not, right or wrong, the results are the same",
          "[campaign]") {
  // Enough rows for worker threads (the size sets the identifier table's room once
  // the calling thread has read its first rows); duplicates on both sides of that point.
  TAMIS_COMPILE_OK(c, kRules);
  std::string csv = "ID,Montant,Département\n";
  for (int i = 0; i < 3000; ++i)
    csv += std::to_string(i % 2900) + "," + std::to_string(i % 1500) + ",59\n";
  const auto classify = [&](std::uint64_t input_bytes) {
    std::istringstream in(csv);
    std::ostringstream out;
    tamis::runtime::CampaignOptions options;
    options.threads = 2;
    options.input_bytes = input_bytes;
    Run r;
    r.report = run_campaign(*c.graph, in, &out, nullptr, options);
    r.results = out.str();
    return r;
  };
  const Run reference = classify(0);
  CHECK(reference.report.rows_rejected >= 100);  // 100 duplicates, and montant 0
  for (const std::uint64_t size :
       {std::uint64_t{1}, std::uint64_t{csv.size()}, std::uint64_t{csv.size()} * 1000}) {
    INFO("size " << size);
    const Run r = classify(size);
    CHECK(r.results == reference.results);
    CHECK(reasons(r.report) == reasons(reference.report));
  }
}

TEST_CASE("campaign: summary counts classified rows by category and department", "[campaign]") {
  TAMIS_COMPILE_OK(c, kRules);
  const Run r = run(*c.graph, kMixed);
  REQUIRE(r.report.summaries.size() == 1);
  const auto& counts = r.report.summaries[0].counts;
  // rows: haut, bas, (missing); columns: nord, somme, (missing)
  REQUIRE(counts.size() == 3);
  REQUIRE(counts[0].size() == 3);
  CHECK(counts[0] == std::vector<std::size_t>{1, 1, 0});
  CHECK(counts[1] == std::vector<std::size_t>{0, 0, 1});
  CHECK(counts[2] == std::vector<std::size_t>{0, 0, 0});
}

TEST_CASE("campaign: summaries by values count the dossiers their condition holds for, once",
          "[campaign]") {
  // Two keys a dossier (a row and a column, or « not counted »): a duplicate's are
  // skipped, a dossier the condition excludes is counted nowhere.
  TAMIS_COMPILE_OK(c, R"tamis(
énumération Cat { haut "Haut"  bas "Bas" }
énumération Dep { nord "Nord (59)" alias "59"  somme "Somme (80)" alias "80" }
schéma D {
  id      : entier   colonne "ID"
  montant : décimal  colonne "Montant"
  dep     : Dep?     colonne "Département"
}
décision cat : Cat {
  règle "R1 gros" si montant > 1000 alors haut
  sinon "R2 reste" alors bas
}
sortie { "ID" = id }
synthèse "Gros par département" lignes dep si cat dans {haut}
synthèse "Tous" lignes cat colonnes dep
)tamis");
  const Run r = run(*c.graph,
                    "ID,Montant,Département\n1,2000,59\n2,5,80\n3,3000,\n1,4000,80\n4,2000,80\n"
                    "5,7,\n");
  CHECK(r.report.rows_classified == 5);
  REQUIRE(r.report.summaries.size() == 2);
  const auto& big = r.report.summaries[0];  // rows: nord, somme, (missing)
  CHECK(big.dossiers == 3);
  CHECK(big.counts == std::vector<std::vector<std::size_t>>{{1}, {1}, {1}});
  const auto& all = r.report.summaries[1];  // rows: haut, bas, (missing); columns: departments
  CHECK(all.dossiers == 5);
  CHECK(all.counts == std::vector<std::vector<std::size_t>>{{1, 1, 1}, {0, 1, 1}, {0, 0, 0}});
}

TEST_CASE("campaign: summaries over texts count every pair, however many texts are met",
          "[campaign]") {
  // Texts on both axes: the counts grow a row at a time and widen as column texts are
  // met (SummaryCounter::grow), in between enumeration keys and « missing ». Counted
  // here too, pair by pair, and compared (3,000 rows: worker threads too).
  TAMIS_COMPILE_OK(c, R"tamis(
énumération Cat { haut "Haut"  bas "Bas" }
schéma D { id : entier colonne "ID"  l : texte? colonne "L"  k : texte? colonne "K"  n : entier colonne "N" }
décision cat : Cat { règle "A" si n > 1 alors haut  sinon bas }
sortie { "ID" = id  "cat" = cat }
synthèse "Textes" lignes l colonnes k
synthèse "Par catégorie" lignes cat colonnes k
)tamis");
  std::map<std::pair<std::string, std::string>, std::size_t> pairs, by_cat;
  std::string csv = "ID,L,K,N\n";
  for (int i = 0; i < 3000; ++i) {
    // Texts met for the first time all along the campaign; some rows without one.
    const std::string l = i % 11 == 0 ? "" : "l" + std::to_string((i * 7) % 53);
    const std::string k = i % 13 == 0 ? "" : "k" + std::to_string((i * i) % 97);
    const int n = i % 3;
    csv += std::to_string(i) + "," + l + "," + k + "," + std::to_string(n) + "\n";
    ++pairs[{l, k}];
    ++by_cat[{n > 1 ? "haut" : "bas", k}];
  }
  const Run r = run(*c.graph, csv);
  REQUIRE(r.report.rows_classified == 3000);
  REQUIRE(r.report.summaries.size() == 2);
  auto counted = [](const tamis::runtime::SummaryTable& t) {
    std::map<std::pair<std::string, std::string>, std::size_t> out;
    for (std::size_t row = 0; row < t.row_codes.size(); ++row) {
      for (std::size_t column = 0; column < t.column_codes.size(); ++column) {
        if (t.counts[row][column] != 0)
          out[{t.row_codes[row], t.column_codes[column]}] = t.counts[row][column];
      }
    }
    return out;
  };
  CHECK(counted(r.report.summaries[0]) == pairs);
  CHECK(counted(r.report.summaries[1]) == by_cat);
  // The 49 squares modulo 97 as column texts, and « missing ».
  CHECK(r.report.summaries[0].column_codes.size() == 50);
}

TEST_CASE("campaign: summaries not counted still reject the rows they cannot evaluate",
          "[campaign]") {
  // `tamis run` counts only the first summary; the second's condition divides by zero
  // on the rows with n = 0, which must be rejected all the same (3,000 rows: worker
  // threads too).
  TAMIS_COMPILE_OK(c, R"tamis(
énumération Cat { haut "Haut"  bas "Bas" }
schéma D { id : entier colonne "ID"  n : entier colonne "N" }
décision cat : Cat { règle "A" si n > 1 alors haut  sinon bas }
sortie { "ID" = id  "cat" = cat }
synthèse "Par catégorie" lignes cat
synthèse "Ratio" lignes cat si 100 / n > 10
)tamis");
  std::string csv = "ID,N\n";
  for (int i = 0; i < 3000; ++i) csv += std::to_string(i) + "," + std::to_string(i % 7) + "\n";
  const auto classify = [&](std::size_t summaries) {
    std::istringstream in(csv);
    std::ostringstream out;
    tamis::runtime::CampaignOptions options;
    options.threads = 2;
    options.summaries = summaries;
    Run r;
    r.report = run_campaign(*c.graph, in, &out, nullptr, options);
    r.results = out.str();
    return r;
  };
  const Run all = classify(std::numeric_limits<std::size_t>::max());
  REQUIRE(all.report.summaries.size() == 2);
  CHECK(all.report.rows_rejected == 429);  // i % 7 == 0
  CHECK(reasons(all.report).find("division par zéro") != std::string::npos);
  for (const std::size_t counted : {std::size_t{0}, std::size_t{1}}) {
    INFO(counted << " summaries counted");
    const Run r = classify(counted);
    CHECK(r.results == all.results);
    CHECK(reasons(r.report) == reasons(all.report));
    REQUIRE(r.report.summaries.size() == counted);
    if (counted == 1) CHECK(r.report.summaries[0].counts == all.report.summaries[0].counts);
  }
}

TEST_CASE("campaign: results may be omitted", "[campaign]") {
  TAMIS_COMPILE_OK(c, kRules);
  std::istringstream in(kMixed);
  const CampaignReport report = run_campaign(*c.graph, in, nullptr);
  CHECK(report.rows_read == 8);
  CHECK(report.rows_classified == 3);
}

TEST_CASE("campaign: a unique decision with two rules applying rejects the row", "[campaign]") {
  // `n + 0`: beyond the static analysis's exact reach (W0604, not E0603), so the overlap
  // is found at run time, which is what this test is about.
  TAMIS_COMPILE_OK(c, R"tamis(
énumération Cat { haut "Haut"  bas "Bas" }
schéma D { id : entier colonne "ID"  n : entier colonne "N" }
décision cat : Cat unique {
  règle "A" si n + 0 > 1 alors haut
  règle "B" si n + 0 > 2 alors bas
  sinon bas
}
)tamis");
  const Run r = run(*c.graph, "ID,N\n1,2\n2,3\n");
  CHECK(r.report.rows_classified == 1);
  REQUIRE(r.report.rows_rejected == 1);
  CHECK(r.report.rejected[0].line == 3);
  CHECK(r.report.rejected[0].reasons.at(0).find("« A » et « B »") != std::string::npos);
  // Default outputs: the first field, each decision and its rule.
  const auto rows = rows_of(r.results);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == std::vector<std::string>{"id", "cat", "regle", "rejet"});
  CHECK(rows[1] == std::vector<std::string>{"1", "haut", "A", ""});
  CHECK(rows[2].at(0) == "2");
}

TEST_CASE("campaign: an evaluation error in a summary axis rejects the row, counted nowhere",
          "[campaign]") {
  // The axis is evaluated for the summary alone: the row is rejected, and the rows on
  // either side are counted as if it were not there (2,000 rows: worker threads too).
  TAMIS_COMPILE_OK(c, R"tamis(
énumération Cat { haut "Haut"  bas "Bas" }
schéma D { id : entier colonne "ID"  n : entier colonne "N" }
décision cat : Cat { règle "A" si n > 1 alors haut  sinon bas }
sortie { "ID" = id  "cat" = cat }
synthèse "Grands inverses" lignes cat si 10 / n > 2
)tamis");
  std::string csv = "ID,N\n";
  for (int i = 0; i < 2000; ++i) csv += std::to_string(i) + "," + std::to_string(i % 7) + "\n";
  const Run r = run(*c.graph, csv);
  CHECK(r.report.rows_rejected == 286);  // n = 0: 0, 7, …, 1995
  REQUIRE(r.report.summaries.size() == 1);
  const auto& t = r.report.summaries[0];
  CHECK(t.dossiers == 286 * 4);
  REQUIRE(t.counts.size() >= 2);
  // 10 / n > 2 for n = 1 … 4; cat is haut when n > 1.
  CHECK(t.counts[0][0] == 286 * 3);  // haut: n = 2, 3, 4
  CHECK(t.counts[1][0] == 286);      // bas: n = 1
}

TEST_CASE("campaign: an evaluation error in an output column does not pass silently",
          "[campaign]") {
  TAMIS_COMPILE_OK(c, R"tamis(
énumération Cat { haut "Haut"  bas "Bas" }
schéma D { id : entier colonne "ID"  n : entier colonne "N" }
décision cat : Cat { règle "A" si n > 1 alors haut  sinon bas }
sortie { "ID" = id  "cat" = cat  "inverse" = 1 / n }
)tamis");
  const Run r = run(*c.graph, "ID,N\n1,2\n2,0\n");
  CHECK(r.report.rows_read == 2);
  CHECK(r.report.rows_rejected == 1);
  const auto rows = rows_of(r.results);
  REQUIRE(rows.size() == 3);
  CHECK(rows[2].back().find("division par zéro") != std::string::npos);
}

TEST_CASE("campaign: summaries of two keys a dossier, alone or with a text one, count alike",
          "[campaign]") {
  // Every counted summary of two keys a dossier: room made for the row's keys at once
  // (Classifier's fixed keys), each summary's two written in turn; with a text summary
  // too, the general path. A row rejected by the first summary's condition has none in
  // either (3,000 rows: worker threads too).
  const std::string two_keys = R"tamis(
énumération Cat { haut "Haut"  bas "Bas" }
énumération Dep { nord "Nord"  somme "Somme" }
schéma D { id : entier colonne "ID"  n : entier colonne "N"  l : texte? colonne "L"  d : Dep? colonne "D" }
décision cat : Cat { règle "A" si n > 1 alors haut  sinon bas }
sortie { "ID" = id  "cat" = cat }
synthèse "Grands inverses" lignes cat si 10 / n > 2
synthèse "Tous" lignes d colonnes cat
)tamis";
  TAMIS_COMPILE_OK(fixed, two_keys);
  TAMIS_COMPILE_OK(mixed, two_keys + "synthèse \"Textes\" lignes l colonnes cat\n");
  std::string csv = "ID,N,L,D\n";
  std::map<std::pair<std::string, std::string>, std::size_t> inverses, all, texts;
  for (int i = 0; i < 3000; ++i) {
    const int n = i % 7;
    const std::string l = "l" + std::to_string(i % 5);
    const std::string d = i % 3 == 0 ? "nord" : i % 3 == 1 ? "somme" : "";
    csv += std::to_string(i) + "," + std::to_string(n) + "," + l + "," + d + "\n";
    if (n == 0) continue;  // division by zero: rejected
    const std::string cat = n > 1 ? "haut" : "bas";
    if (10.0 / n > 2) ++inverses[{cat, ""}];
    ++all[{d, cat}];
    ++texts[{l, cat}];
  }
  // A table's non-zero counts by row and column codes ("" for a single column).
  const auto counted = [](const tamis::runtime::SummaryTable& t) {
    std::map<std::pair<std::string, std::string>, std::size_t> out;
    for (std::size_t row = 0; row < t.row_codes.size(); ++row) {
      for (std::size_t column = 0; column < t.counts[row].size(); ++column) {
        const std::string code = t.column_title.empty() ? "" : t.column_codes[column];
        if (t.counts[row][column] != 0) out[{t.row_codes[row], code}] = t.counts[row][column];
      }
    }
    return out;
  };
  for (const auto* c : {&fixed, &mixed}) {
    const Run r = run(*c->graph, csv);
    CHECK(r.report.rows_rejected == 429);  // n = 0
    REQUIRE(r.report.summaries.size() >= 2);
    CHECK(counted(r.report.summaries[0]) == inverses);
    CHECK(counted(r.report.summaries[1]) == all);
  }
  const Run r = run(*mixed.graph, csv);
  REQUIRE(r.report.summaries.size() == 3);
  CHECK(counted(r.report.summaries[2]) == texts);
}

TEST_CASE("campaign: the usual rows' loop commits what the general one does", "[campaign]") {
  // Without extras, the committing thread takes the classified rows in a loop of their own,
  // up to a rejected row or a duplicate identifier, which it leaves to the general one:
  // with coverage asked for, every row takes the general one. Both give the same results,
  // counts, summaries, unrecognised labels and rejections, with `entier` identifiers (and
  // an empty one, which has no number) and with text ones, on 1 and 2 threads.
  const std::string number_ids = R"tamis(
table Levier (secteur : texte) { "Vélo" | "Transports"  "Eau" | "Eau" }
schéma D {
  id      : entier?            colonne "ID"
  montant : entier             colonne "Montant"
  leviers : ensemble de Levier colonne "Leviers"
}
décision cat : texte {
  règle "R1" si montant > 10 alors "haut"
  sinon "R0" alors "bas"
}
sortie { "ID" = id  "cat" = cat  "leviers" = leviers  "inconnus" = non_reconnus(leviers) }
synthèse "Bilan" lignes cat
synthèse "Leviers" lignes leviers
)tamis";
  std::string text_ids = number_ids;
  text_ids.replace(text_ids.find("entier?"), 7, "texte? ");
  for (const std::string& rules : {number_ids, text_ids}) {
    TAMIS_COMPILE_OK(c, rules);
    std::string csv = "ID,Montant,Leviers\n";
    for (int i = 0; i < 3000; ++i) {
      const std::string id = i % 997 == 5 ? "" : std::to_string(i % 1500 == 7 ? 3 : i);
      const std::string amount = i % 613 == 11 ? "x" : std::to_string(i % 37);
      const std::string levers = i % 5 == 0 ? "Vélo, Eau" : i % 7 == 0 ? "Vélo, Inconnu" : "Eau";
      csv += id + "," + amount + ",\"" + levers + "\"\n";
    }
    std::string reference;
    for (const bool coverage : {true, false}) {
      for (const std::size_t threads : {std::size_t{1}, std::size_t{2}}) {
        std::istringstream in(csv);
        std::ostringstream out;
        tamis::runtime::Coverage marks;
        tamis::runtime::CampaignOptions options;
        options.threads = threads;
        if (coverage) options.coverage = &marks;
        const CampaignReport report = run_campaign(*c.graph, in, &out, nullptr, options);
        std::string seen = out.str() + "\n" + reasons(report);
        seen += std::to_string(report.rows_read) + " " + std::to_string(report.rows_classified) +
                " " + std::to_string(report.rows_rejected) + "\n";
        for (const auto& labels : report.unrecognised)
          seen += labels.column + " " + std::to_string(labels.dossiers) + "\n";
        for (const auto& table : report.summaries) {
          seen += table.title + " " + std::to_string(table.dossiers) + ":";
          for (std::size_t r = 0; r < table.counts.size(); ++r) {
            seen += " " + table.row_codes[r];
            for (const std::size_t n : table.counts[r]) seen += " " + std::to_string(n);
          }
          seen += "\n";
        }
        INFO("coverage " << coverage << ", " << threads << " threads");
        if (reference.empty()) {
          reference = seen;
          CHECK(report.rows_rejected > 5);
          CHECK(report.rows_classified > 2900);
          // "Inconnu" in the rows of i % 7 == 0 but not i % 5 == 0, 343, less rows 7 (a second
          // dossier 3) and 2996 (a fourth without identifier): a duplicate's labels do not count.
          REQUIRE(report.unrecognised.size() == 1);
          CHECK(report.unrecognised[0].dossiers == 341);
        } else {
          CHECK(seen == reference);
        }
      }
    }
  }
}

TEST_CASE("campaign: summary keys read from fields and decisions, or evaluated, count alike",
          "[campaign]") {
  // Counted summaries without condition whose axes are a field, a decision or none: their
  // keys read where the values are (Classifier's direct keys); with an axis evaluated (a
  // definition), every summary's keys through SummaryCounter. A row rejected by its
  // decision (division by zero) has none (3,000 rows: worker threads too).
  const std::string direct = R"tamis(
énumération Cat { haut "Haut"  bas "Bas" }
énumération Dep { nord "Nord"  somme "Somme"  oise "Oise" }
schéma D { id : entier colonne "ID"  n : entier colonne "N"  d : Dep? colonne "D" }
décision cat : Cat { règle "A" si 10 / n > 3 alors haut  sinon bas }
soit dep = d
sortie { "ID" = id  "cat" = cat }
synthèse "Tous" lignes d colonnes cat
synthèse "Catégories" lignes cat
synthèse "Inverse" lignes cat colonnes d
)tamis";
  TAMIS_COMPILE_OK(read, direct);
  TAMIS_COMPILE_OK(evaluated, direct + "synthèse \"Définition\" lignes dep colonnes cat\n");
  std::string csv = "ID,N,D\n";
  std::map<std::pair<std::string, std::string>, std::size_t> all, cats, inverse;
  for (int i = 0; i < 3000; ++i) {
    const int n = i % 7;
    const std::string d = i % 4 == 0 ? "nord" : i % 4 == 1 ? "oise" : i % 4 == 2 ? "" : "somme";
    csv += std::to_string(i) + "," + std::to_string(n) + "," + d + "\n";
    if (n == 0) continue;                             // division by zero: rejected
    const std::string cat = n <= 3 ? "haut" : "bas";  // 10 / 3 > 3 in decimals
    ++all[{d, cat}];
    ++cats[{cat, ""}];
    ++inverse[{cat, d}];
  }
  // A table's non-zero counts by row and column codes ("" for a single column).
  const auto counted = [](const tamis::runtime::SummaryTable& t) {
    std::map<std::pair<std::string, std::string>, std::size_t> out;
    for (std::size_t row = 0; row < t.row_codes.size(); ++row) {
      for (std::size_t column = 0; column < t.counts[row].size(); ++column) {
        const std::string code = t.column_title.empty() ? "" : t.column_codes[column];
        if (t.counts[row][column] != 0) out[{t.row_codes[row], code}] = t.counts[row][column];
      }
    }
    return out;
  };
  for (const auto* c : {&read, &evaluated}) {
    const Run r = run(*c->graph, csv);
    CHECK(r.report.rows_rejected == 429);  // n = 0
    REQUIRE(r.report.summaries.size() >= 3);
    CHECK(counted(r.report.summaries[0]) == all);
    CHECK(counted(r.report.summaries[1]) == cats);
    CHECK(counted(r.report.summaries[2]) == inverse);
  }
  const Run r = run(*evaluated.graph, csv);
  REQUIRE(r.report.summaries.size() == 4);
  CHECK(counted(r.report.summaries[3]) == all);
}

TEST_CASE("campaign: a row whose cells cannot be read names its own cells only", "[campaign]") {
  // The decoder's errors of a refused row are its reasons, then no longer held
  // (Classifier::field_errors_ is not cleared a row): the next refused row, after others
  // or right after, names only its cells.
  TAMIS_COMPILE_OK(c, R"tamis(
énumération Cat { haut "Haut"  bas "Bas" }
schéma D { id : entier colonne "ID"  n : entier colonne "N" }
décision cat : Cat { règle "A" si n > 1 alors haut  sinon bas }
sortie { "ID" = id  "cat" = cat }
)tamis");
  const Run r = run(*c.graph, "ID,N\n1,x1\n2,x2\n3,4\n4,x4\n5,5\n");
  CHECK(r.report.rows_read == 5);
  CHECK(r.report.rows_rejected == 3);
  const auto rows = rows_of(r.results);
  REQUIRE(rows.size() == 6);
  for (const std::size_t row : {std::size_t{1}, std::size_t{2}, std::size_t{4}}) {
    INFO("row " << row);
    const std::string& reasons = rows[row].back();
    CHECK(reasons.find("x" + std::to_string(row)) != std::string::npos);
    for (const std::size_t other : {std::size_t{1}, std::size_t{2}, std::size_t{4}}) {
      if (other != row) CHECK(reasons.find("x" + std::to_string(other)) == std::string::npos);
    }
  }
  CHECK(rows[3].back().empty());
  CHECK(rows[5].back().empty());
}

TEST_CASE("campaign: observers see every cell as read, results keep only what they read",
          "[campaign]") {
  TAMIS_COMPILE_OK(c, kRules);
  // The results copy the identifier as written (a whole number): its cell is the one read.
  tamis::runtime::Classifier classifier(*c.graph);
  REQUIRE(classifier.bind({"ID", "Montant", "Département"}).empty());
  CHECK(classifier.cells_read() == std::vector<std::size_t>{0});
  const std::vector<std::string> cells{"12345678", "2000", "59"};
  tamis::io::CsvRecord row;
  for (const auto& cell : cells) row.fields.emplace_back(cell);
  const std::vector<std::string> results = [&] {
    REQUIRE(classifier.classify(row, std::nullopt).empty());
    for (std::size_t f = 0; f < cells.size(); ++f) CHECK(classifier.record().raw[f] == cells[f]);
    return classifier.outputs();
  }();
  // Only the identifier's cell kept: the same results, the other cells not read into the
  // record.
  tamis::runtime::Classifier keeping(*c.graph);
  REQUIRE(keeping.bind({"ID", "Montant", "Département"}).empty());
  keeping.keep_only_cells_read();
  REQUIRE(keeping.classify(row, std::nullopt).empty());
  CHECK(keeping.outputs() == results);
  CHECK(keeping.record().raw[0] == cells[0]);
  CHECK(keeping.record().raw[1].empty());
  CHECK(keeping.record().raw[2].empty());
  keeping.keep_every_cell();
  REQUIRE(keeping.classify(row, std::nullopt).empty());
  for (std::size_t f = 0; f < cells.size(); ++f) CHECK(keeping.record().raw[f] == cells[f]);

  // A campaign with an observer: every cell of every classified row, on any thread count.
  struct Cells : tamis::runtime::CampaignObserver {
    std::vector<std::vector<std::string>> seen;
    void classified(std::size_t, std::size_t, const tamis::runtime::Record& record,
                    tamis::runtime::Interpreter&) override {
      seen.emplace_back(record.raw.begin(), record.raw.end());
    }
    void rejected(const tamis::runtime::RejectedRow&) override {}
  };
  for (const std::size_t threads : {std::size_t{1}, std::size_t{2}}) {
    Cells observer;
    std::istringstream in(kMixed);
    tamis::runtime::CampaignOptions options;
    options.threads = threads;
    run_campaign(*c.graph, in, nullptr, &observer, options);
    const std::vector<std::vector<std::string>> expected = {
        {"1", "2000", "59"}, {"3", "1", "Somme"}, {"7", "500", ""}};
    CHECK(observer.seen == expected);
  }
}
