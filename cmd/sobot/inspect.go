package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sobotgo/sobot"
)

// inspectResult is what sobot inspect prints. The first fields are the
// documented contract; the others add detail.
type inspectResult struct {
	Kind         string              `json:"kind"`
	Version      string              `json:"version"`
	BaseURL      string              `json:"base_url"`
	SysNum       string              `json:"sysnum"`
	Params       map[string]string   `json:"params"`
	Unknown      []string            `json:"unknown"`
	Signed       bool                `json:"signed"`
	SignValid    *bool               `json:"sign_valid"`
	Sign         string              `json:"sign,omitempty"`
	Problems     []problemJSON       `json:"problems"`
	Verification *verificationResult `json:"verification,omitempty"`
	Explanation  string              `json:"explanation,omitempty"`
}

// problemJSON is a sobot.Problem in JSON.
type problemJSON struct {
	Param  string `json:"param"`
	Value  string `json:"value,omitempty"`
	Reason string `json:"reason"`
}

// verificationResult is a sobot.Verification in JSON; it never holds a key.
type verificationResult struct {
	MatchedKey   *int     `json:"matched_key"` // from 1; null when none matched
	SignedText   string   `json:"signed_text"`
	ExpectedSign string   `json:"expected_sign"`
	ReceivedSign string   `json:"received_sign"`
	Causes       []string `json:"causes"`
}

// runInspect is sobot inspect: a link's parameters, and its sign checked
// against the keys given.
func runInspect(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("inspect")
	var keyFlags keyFlag
	fs.Var(&keyFlags, "key", "security key to verify the sign with (repeatable; default $SOBOT_KEY)")
	positional, status, done := parse(fs, args, stdout, stderr)
	if done {
		return status
	}
	if keyFlags.empty {
		// An empty key would still take a place in the list, and shift
		// the numbers of the keys after it in the verification.
		return usageError(stderr, "inspect", emptyKey)
	}
	if len(positional) != 1 {
		return usageError(stderr, "inspect", "want exactly one URL")
	}
	secrets := keyFlags.values
	if len(secrets) == 0 {
		if env := os.Getenv("SOBOT_KEY"); env != "" {
			secrets = []string{env}
		}
	}
	keys := make([]sobot.Key, len(secrets))
	for i, k := range secrets {
		keys[i] = sobot.NewKey(k)
	}
	link, err := sobot.Inspect(positional[0].text)
	if err != nil {
		var verr *sobot.ValidationError
		if !errors.As(err, &verr) {
			fmt.Fprintf(stderr, "sobot inspect: %v\n", err)
			return exitInvalid
		}
		for i, p := range verr.Problems {
			if p.Value == positional[0].text && !strings.Contains(p.Value, "://") {
				// Not even URL-shaped: it could be a key given in the
				// wrong place, so it is not repeated.
				verr.Problems[i].Value = ""
			}
		}
		printProblems(stderr, verr.Problems)
		return exitInvalid
	}
	res := inspectResult{Kind: kindName(link.Kind), Version: link.Version.String(), BaseURL: link.BaseURL, SysNum: link.SysNum,
		Params: link.Wire, Unknown: link.Unknown, Signed: link.Signed(), Sign: link.Sign, Problems: []problemJSON{}}
	if res.Unknown == nil {
		res.Unknown = []string{}
	}
	for _, p := range link.Problems {
		res.Problems = append(res.Problems, problemJSON{Param: p.Param, Value: p.Value, Reason: p.Reason})
	}
	chat := link.Kind == sobot.KindH5 || link.Kind == sobot.KindPC
	if len(keys) > 0 && (chat || link.Signed()) {
		v := link.Verify(keys...)
		res.SignValid = &v.Valid
		res.Verification = &verificationResult{SignedText: v.SignedText, ExpectedSign: v.Expected,
			ReceivedSign: v.Received, Causes: v.Causes}
		if v.Key >= 0 {
			n := v.Key + 1
			res.Verification.MatchedKey = &n
		}
		if res.Verification.Causes == nil {
			res.Verification.Causes = []string{}
		}
		res.Explanation = v.Explain()
	}
	if status := printJSON(stdout, stderr, res); status != exitOK {
		return status
	}
	if res.SignValid != nil && !*res.SignValid {
		return exitInvalid
	}
	return exitOK
}

// kindName is the kind of an inspected link as the JSON names it: the
// kind's name, but "widget-loader" for the widget, since the link read is
// the loader's URL.
func kindName(k sobot.Kind) string {
	if k == sobot.KindWidget {
		return "widget-loader"
	}
	return k.String()
}
