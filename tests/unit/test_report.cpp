// The report's pieces that need no campaign: which files of an earlier CSV report a
// new one removes, and how long headers of the text tables wrap.
#include <catch2/catch.hpp>

#include "runtime/report/header_lines.hpp"
#include "runtime/report/report_csv.hpp"

using tamis::runtime::header_lines;
using tamis::runtime::header_width;
using tamis::runtime::report::CsvFile;
using tamis::runtime::report::stale_report_files;

TEST_CASE("report csv: an earlier report's tables the new one does not write are stale") {
  const std::string previous =
      "fichier,tableau,titre,dossiers_pris_en_compte,condition\n"
      "01-bilan.csv,1,Bilan,1279,\n"
      "01-bilan.poids.csv,1,Bilan — Poids,1279,\n"
      "02-leviers.csv,2,Leviers,1114,\"categorie dans {a_remonter, a_travailler}\"\r\n"
      "03-axes.csv,3,Axes,1114,\n";
  const std::vector<CsvFile> files = {
      {"01-bilan.csv", ""}, {"01-bilan.poids.csv", ""}, {"02-autre.csv", ""}, {"index.csv", ""}};
  CHECK(stale_report_files(previous, files) ==
        std::vector<std::string>{"02-leviers.csv", "03-axes.csv"});
}

TEST_CASE("report csv: a name Tamis does not give its tables is never stale") {
  // Listed in an index.csv someone edited: still not Tamis's to remove.
  const std::string previous =
      "fichier,tableau\n"
      "notes.txt,1\n"
      "index.csv,1\n"
      "../01-ailleurs.csv,1\n"
      "01-Majuscules.csv,1\n"
      "1-un-chiffre.csv,1\n"
      "01-.csv,1\n"
      "\"01-guillemets.csv\",1\n"
      "01-ok.poids.csv,1\n";
  CHECK(stale_report_files(previous, {}) == std::vector<std::string>{"01-ok.poids.csv"});
  CHECK(stale_report_files("", {}).empty());
}

TEST_CASE("report text: a long header wraps between words, a short one does not") {
  CHECK(header_lines("Hors COP mais à examiner dans le cadre des CRTE", 16) ==
        std::vector<std::string>{"Hors COP mais à", "examiner dans le", "cadre des CRTE"});
  CHECK(header_lines("Non remonté", 16) == std::vector<std::string>{"Non remonté"});
  // The column is as wide as its longest word, its values, or 16 when the label is longer.
  CHECK(header_width("Non remonté", 3, 16) == 11);
  CHECK(header_width("À remonter COP 2024", 3, 16) == 16);
  CHECK(header_width("Désimperméabilisation", 3, 16) == 21);
  CHECK(header_width("Oise", 5, 16) == 5);
}
