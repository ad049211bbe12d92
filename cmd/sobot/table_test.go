package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
)

// TestParams: sobot params prints the reference table as aligned text,
// one row per parameter, or with --json every field of each row.
func TestParams(t *testing.T) {
	t.Parallel()
	r := runWith(t, nil, "", "params")
	require.Equal(t, 0, r.code)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	assert.Len(t, lines, len(sobot.ParamTable())+1)
	assert.Regexp(t, `^NAME +TYPE +KINDS +FIELD +ALLOWED +DESCRIPTION +CHINESE$`, lines[0])
	assert.Regexp(t, `^partnerid +String +h5,pc,widget +User\.PartnerID +not blank; no control characters; at most 300 characters +Visitor id.* {2,}用户id,限制300字符$`, lines[1])
	assertAligned(t, lines)
	for i, info := range sobot.ParamTable() {
		assert.True(t, strings.HasPrefix(lines[i+1], tableName(info)+" "), lines[i+1])
		assert.True(t, strings.HasSuffix(lines[i+1], "  "+orDash(oneLine(info.Chinese))), "the reference's description last: %s", lines[i+1])
	}

	r = runWith(t, nil, "", "params", "--json")
	require.Equal(t, 0, r.code)
	var rows []paramRow
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rows))
	require.Len(t, rows, len(sobot.ParamTable()))
	for i, info := range sobot.ParamTable() {
		assert.Equal(t, info.Name, rows[i].Name, "--json keeps the wire name")
		assert.Equal(t, info.Parent, rows[i].Parent)
		assert.Equal(t, info.Field, rows[i].Field)
		assert.Equal(t, info.Chinese, rows[i].Chinese)
		require.Len(t, rows[i].Values, len(info.Values), info.Name)
		for j, v := range info.Values {
			assert.Equal(t, valueJSON{Wire: v.Wire, Go: v.Go}, rows[i].Values[j], info.Name)
		}
	}
	assert.Equal(t, reflect.TypeFor[sobot.ParamInfo]().NumField(), reflect.TypeFor[paramRow]().NumField(), "--json prints every field of sobot.ParamInfo")
	assert.Contains(t, r.stdout, `"values": [
      {
        "wire": "0",
        "go": "sobot.On"
      },
      {
        "wire": "1",
        "go": "sobot.Off"
      }
    ],`, "msg_flag's wire texts, and the Go values that send them")
	assert.Equal(t, []string{"h5", "pc", "widget", "leave-message"}, rows[1].Kinds, "uname")
}

// assertAligned checks that every column of a text table starts where its
// heading does, counted in characters, after at least two spaces.
func assertAligned(t *testing.T, lines []string) {
	t.Helper()
	var starts []int
	head := []rune(lines[0])
	for i := range head {
		if head[i] != ' ' && (i == 0 || head[i-1] == ' ') {
			starts = append(starts, i)
		}
	}
	for _, l := range lines[1:] {
		row := []rune(l)
		for _, c := range starts[1:] {
			if !assert.Greater(t, len(row), c, "short row: %s", l) {
				break
			}
			assert.True(t, row[c] != ' ' && row[c-1] == ' ' && row[c-2] == ' ', "column at %d not aligned: %s", c, l)
		}
	}
}

// TestParamsMembers: rows describing the members of goods items print as
// goods[].name; pre_/cur_ visit members, parameters of their own, keep
// their names. The columns stay aligned.
func TestParamsMembers(t *testing.T) {
	t.Parallel()
	rows := []sobot.ParamInfo{
		{Name: "goods", Field: "Order.Goods", Type: sobot.TypeJSON, JS: sobot.JSJSONString, Kinds: []sobot.Kind{sobot.KindH5, sobot.KindPC, sobot.KindWidget}, Allowed: "JSON array", Chinese: "商品详情数组", English: "Order items"},
		{Name: "name", Type: sobot.TypeString, JS: sobot.JSObjectMember, Kinds: []sobot.Kind{sobot.KindH5, sobot.KindPC, sobot.KindWidget}, Parent: "goods", Chinese: "商品名称", English: "Item name"},
		{Name: "pictureUrl", Type: sobot.TypeString, JS: sobot.JSObjectMember, Parent: "goods", Allowed: "http(s) URL", Chinese: "商品图片链接", English: "Item picture"},
		{Name: "pre_visit_url", Field: "Visit.Previous.URL", Type: sobot.TypeString, JS: sobot.JSObjectMember, Kinds: []sobot.Kind{sobot.KindWidget}, Parent: "pre_visit_args", Chinese: "来源页url", English: "Referring page URL"},
		{Name: "odd", Type: sobot.TypeString, Chinese: "换\t行\n", English: "tab\tand newline\n"},
	}
	var b strings.Builder
	require.NoError(t, writeTable(&b, rows))
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Len(t, lines, len(rows)+1)
	assertAligned(t, lines)
	assert.Regexp(t, `^goods +JSON `, lines[1])
	assert.Regexp(t, `^goods\[\]\.name +String +h5,pc,widget +- +- +Item name +商品名称$`, lines[2])
	assert.Regexp(t, `^goods\[\]\.pictureUrl +String +- +- +http\(s\) URL +Item picture +商品图片链接$`, lines[3])
	assert.Regexp(t, `^pre_visit_url +String +widget +Visit\.Previous\.URL `, lines[4])
	assert.Regexp(t, `^odd .* tab and newline  +换 行 $`, lines[5])

	assert.Equal(t, []string{}, paramRows(rows[2:3])[0].Kinds, "no kinds is [] in JSON")
	assert.Equal(t, "name", paramRows(rows[1:2])[0].Name, "--json keeps the wire name")
	assert.Equal(t, "goods", paramRows(rows[1:2])[0].Parent)

	// A member is not a parameter, on the command line or in --extra.
	assert.Contains(t, unsettable(rows[1]), "is not a parameter but a member of each goods item (goods[].name): set it inside goods")
	assert.Empty(t, unsettable(rows[3]))
}
