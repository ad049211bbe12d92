// Package recipes holds the framework recipes of the user guide
// (docs/guide.md, "Framework recipes"): one package each for plain
// net/http, chi, echo and gin, compiled and tested with the rest of the
// examples.
//
// The guide quotes each recipe's code, the lines between "// guide:start"
// and "// guide:end" in the package's recipe file, and
// TestGuideQuotesRecipes in docs keeps the guide's copy equal to the code.
// What a real site already has (its session, its security headers, its
// pages) is stood in for by package site, which the recipes call as a site
// calls its own code.
package recipes
