package sobot

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEnumNames reads the package's source: every entry of the enum lists
// in enums.go names the constant it holds ({LocaleChinese,
// "LocaleChinese"}), and every constant of an enumerated type is in its
// list, so GoString, ParamInfo.Values and generated code always print a
// constant that exists.
func TestEnumNames(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	listed := map[string]string{} // constant → its type, from the lists
	declared := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				// enum[T]{{Const, "Const"}, ...}
				idx, ok := n.Type.(*ast.IndexExpr)
				if !ok || idx.X.(*ast.Ident).Name != "enum" {
					return true
				}
				typ := idx.Index.(*ast.Ident).Name
				for _, e := range n.Elts {
					pair := e.(*ast.CompositeLit).Elts
					ident := pair[0].(*ast.Ident).Name
					name, err := strconv.Unquote(pair[1].(*ast.BasicLit).Value)
					require.NoError(t, err)
					assert.Equal(t, ident, name, "an entry of the %s list names another constant", typ)
					listed[ident] = typ
				}
			case *ast.GenDecl:
				if n.Tok != token.CONST {
					return true
				}
				typ := "" // a spec without a type repeats the previous one's
				for _, spec := range n.Specs {
					vs := spec.(*ast.ValueSpec)
					if vs.Type != nil {
						typ = fmt.Sprint(vs.Type)
					} else if vs.Values != nil {
						typ = ""
					}
					for _, id := range vs.Names {
						if id.IsExported() && typ != "" {
							declared[id.Name] = typ
						}
					}
				}
			}
			return true
		})
	}
	enumTypes := map[string]bool{}
	for _, typ := range listed {
		enumTypes[typ] = true
	}
	require.Len(t, enumTypes, 13)
	for name, typ := range declared {
		if enumTypes[typ] {
			assert.Equal(t, typ, listed[name], "constant %s of type %s is in no enum list", name, typ)
		}
	}
}

// TestGoString: enumerated values print as their constants, and values
// that are no constant as conversions that still compile.
func TestGoString(t *testing.T) {
	for v, want := range map[any]string{
		On: "sobot.On", Unset: "sobot.Unset", Toggle(7): "sobot.Toggle(7)",
		KindWidget: "sobot.KindWidget", V6: "sobot.V6", LocaleEnglish: "sobot.LocaleEnglish", Locale("xx"): `sobot.Locale("xx")`,
		TitleCustom: "sobot.TitleCustom", SourceMobile: "sobot.SourceMobile", ModeRobotFirst: "sobot.ModeRobotFirst",
		ToGroup: "sobot.ToGroup", SpillGroupAllBusy: "sobot.SpillGroupAllBusy", OrderCompleted: "sobot.OrderCompleted",
		FlowWhenBusy: "sobot.FlowWhenBusy", BottomLeft: "sobot.BottomLeft", ExpandHalf: "sobot.ExpandHalf",
	} {
		assert.Equal(t, want, fmt.Sprintf("%#v", v))
	}
	assert.Equal(t, "sobot.TransferRule{Target:sobot.ToGroup, ID:\"g\", Spill:sobot.SpillGroupAllBusy}",
		fmt.Sprintf("%#v", TransferRule{ToGroup, "g", SpillGroupAllBusy}))
}

// TestKinds: names, validity, and the kinds each row allows.
func TestKinds(t *testing.T) {
	assert.Equal(t, []string{"h5", "pc", "widget", "leave-message", "ticket"},
		[]string{KindH5.String(), KindPC.String(), KindWidget.String(), KindLeaveMessage.String(), KindTicket.String()})
	assert.Equal(t, "Kind(0)", Kind(0).String())
	assert.Equal(t, "Kind(6)", Kind(kindCount).String())
	text, err := KindLeaveMessage.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "leave-message", string(text))
	assert.Equal(t, []string{"kind: is not a Kind: validate for KindH5, KindPC, KindWidget, KindLeaveMessage or KindTicket"},
		problemLines(t, (&Params{}).Validate(0)))

	for name, want := range map[string][]Kind{
		"partnerid":               {KindH5, KindPC, KindWidget},
		"uname":                   {KindH5, KindPC, KindWidget, KindLeaveMessage},
		"params":                  {KindH5, KindPC, KindWidget, KindTicket},
		"photo_flag":              {KindH5, KindWidget},
		"top_bar_flag":            {KindH5},
		"to_customsys_open_style": {KindH5, KindPC},
		"auto_expand":             {KindWidget},
		"uid":                     {KindLeaveMessage},
		"platformUnionCode":       {KindH5, KindPC, KindWidget},
	} {
		info, ok := LookupParam(name)
		require.True(t, ok, name)
		assert.Equal(t, want, info.Kinds, name)
		for k := KindH5; k < kindCount; k++ {
			assert.Equal(t, slices.Contains(want, k), info.Allows(k), "%s on %v", name, k)
		}
	}
}
