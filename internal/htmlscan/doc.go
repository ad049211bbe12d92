// Package htmlscan tells where the middleware of package sobot puts the
// widget in a page that streams through it: before the page's last
// </body> end tag, told apart from the same text in a script, a comment,
// raw text or an attribute value.
//
// FindBody searches bytes as text for a "</body" at memory speed; Certify
// reads the last bytes before a "</body" held with a Scanner from every
// state the page's start could have left the HTML tokenizer in, and says
// whether the held "</body" is the page's last end tag. The Scanner reads
// a page as the HTML standard's tokenizer does.
package htmlscan
