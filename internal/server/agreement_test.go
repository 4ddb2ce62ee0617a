package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/tabserve/tabserve/internal/catalog"
	"github.com/tabserve/tabserve/internal/manifest"
)

// A field is one member of a generated body: its key and raw JSON value.
type field struct{ key, value string }

// object writes the members as a JSON object, in order.
func object(fields []field) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(f.key))
		b.WriteByte(':')
		b.WriteString(f.value)
	}
	b.WriteByte('}')
	return b.String()
}

func quote(s string) string { return strconv.Quote(s) }

// exact returns the exact decimal of r in plain notation.
func exact(r *big.Rat) string {
	s := r.FloatString(60)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// numbers returns JSON numbers near a bound: on it, on its float64
// neighbours, and beyond it by amounts a float64 rounds away or keeps.
func numbers(b manifest.Bound) []string {
	out := []string{b.Text, strconv.FormatFloat(b.Value, 'g', -1, 64)}
	for _, dir := range []float64{-1, 1} {
		out = append(out,
			strconv.FormatFloat(math.Nextafter(b.Value, dir*math.Inf(1)), 'g', -1, 64),
			strconv.FormatFloat(b.Value+dir, 'g', -1, 64),
			strconv.FormatFloat(b.Value+dir*0.5, 'g', -1, 64))
		tiny, _ := new(big.Rat).SetString(b.Text)
		tiny.Add(tiny, new(big.Rat).SetFrac64(int64(dir), 1_000_000_000_000_000_000))
		out = append(out, exact(tiny)) // rounds to the bound as a float64
	}
	return out
}

// strings near a bound, written as numeric strings.
func decimalStrings(b manifest.Bound) []string {
	var out []string
	for _, d := range []string{"1", "0.5", "0.000000000000000000001"} {
		for _, sign := range []int64{-1, 1} {
			r, _ := new(big.Rat).SetString(b.Text)
			step, _ := new(big.Rat).SetString(d)
			r.Add(r, step.Mul(step, big.NewRat(sign, 1)))
			out = append(out, quote(exact(r)))
		}
	}
	return append(out, quote(b.Text), quote(b.Text+".000"))
}

// candidates returns raw JSON values for feature k of the model, valid and
// invalid: its bounds and just beyond, as numbers and strings, integers
// with fractions, wrong types, non-finite values, enums and near misses.
func candidates(m *catalog.Model, k int) []string {
	f := m.Manifest.Features[k]
	out := []string{"null", "true", "false", "[]", "[1]", "{}", `{"v": 1}`, `""`, `"abc"`, "0", "1", "-1", "0.5", `"1"`, `"0"`}
	switch f.Type {
	case manifest.Number, manifest.Integer:
		lo, hi, _ := m.Range(k)
		for _, b := range []manifest.Bound{lo, hi} {
			out = append(out, numbers(b)...)
			out = append(out, decimalStrings(b)...)
		}
		out = append(out, "1e400", "-1e400", "1e-400", "-1e-400", "1e39", "1e20", "35.0", "35.5",
			"42.00000000000000001", `"42.00000000000000001"`, `"35.0"`, `"35.5"`, `"-0"`, `"-0.0"`, "-0",
			`"7.2e2"`, `"1e400"`, `"NaN"`, `"Infinity"`, `"-Infinity"`, `"inf"`, `" 35"`, `"035"`, `"+35"`, `"35."`, `".5"`,
			`"0x10"`, `"١٢"`, "1E2", "9007199254740993", `"9007199254740993"`, "2147483648", `"2147483647"`)
	case manifest.String:
		for _, e := range f.Enum {
			out = append(out, quote(e), quote(strings.ToUpper(e)), quote(e+" "))
		}
		out = append(out, `"gr\u00fcn"`, `"r\u0065d"`, "42")
	case manifest.Boolean:
		out = append(out, "1.0", "-0", "0.0e5", "1e0", "2", "0.5", `"true"`, `"false"`, `"True"`, `"yes"`, "1.0000000000000001")
	}
	if f.Example != nil {
		out = append(out, exampleJSON(f.Example))
	}
	return out
}

func exampleJSON(v any) string {
	switch v := v.(type) {
	case string:
		return quote(v)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// validBody returns a request made of the features' examples.
func validBody(m *catalog.Model) []field {
	var fs []field
	for _, f := range m.Manifest.Features {
		if f.Example != nil {
			fs = append(fs, field{f.Name, exampleJSON(f.Example)})
		}
	}
	return fs
}

// extras are members no model has, with values of every JSON type.
var extras = []field{
	{"name", `"Ann"`}, {"Age", "17"}, {"tags", `[1, {"x": null}, "y"]`}, {"id", "7"}, {"zip", `{"a": [true, false]}`},
	{"big", "1e300"}, {"age ", `"x"`}, {"n", "null"},
}

// bodies generates the single-instance bodies for a model: the valid
// example with each feature set to each candidate or removed, then random
// mixtures of candidates, missing features and extra fields.
func bodies(r *rand.Rand, m *catalog.Model, random int) []string {
	valid := validBody(m)
	feats := m.Manifest.Features
	cands := make([][]string, len(feats))
	for k := range feats {
		cands[k] = candidates(m, k)
	}
	set := func(fs []field, key, v string) []field {
		out := make([]field, 0, len(fs)+1)
		done := false
		for _, f := range fs {
			if f.key == key {
				done = true
				if v == "" {
					continue
				}
				f.value = v
			}
			out = append(out, f)
		}
		if !done && v != "" {
			out = append(out, field{key, v})
		}
		return out
	}
	out := []string{object(valid), "{}", "[]", "null", `"x"`, "42", object(valid) + " {}", object(append(valid, extras...))}
	for k, f := range feats {
		out = append(out, object(set(valid, f.Name, "")))
		for _, c := range cands[k] {
			out = append(out, object(set(valid, f.Name, c)))
		}
	}
	for range random {
		fs := append([]field(nil), valid...)
		for range 1 + r.IntN(3) {
			k := r.IntN(len(feats))
			v := ""
			if r.IntN(8) > 0 {
				v = cands[k][r.IntN(len(cands[k]))]
			}
			fs = set(fs, feats[k].Name, v)
		}
		if r.IntN(3) == 0 {
			e := extras[r.IntN(len(extras))]
			fs = set(fs, e.key, e.value)
		}
		r.Shuffle(len(fs), func(i, j int) { fs[i], fs[j] = fs[j], fs[i] })
		out = append(out, object(fs))
	}
	return out
}

// batches generates batch bodies from single-instance bodies.
func batches(r *rand.Rand, single []string, random int) []string {
	valid := single[0]
	out := []string{`{"instances": []}`, `{"instances": {}}`, `{"instances": null}`, `{"rows": [` + valid + `]}`, `{}`,
		`{"instances": [` + valid + `]}`, `{"instances": [` + valid + `, 3]}`, `{"id": 1, "instances": [` + valid + `]}`,
		`{"instances": [` + strings.Repeat(valid+", ", 2) + valid + `]}`, `{"instances": [` + strings.Repeat(valid+", ", 3) + valid + `]}`}
	for range random {
		n := r.IntN(5)
		items := make([]string, n)
		for i := range items {
			items[i] = valid
			if r.IntN(3) == 0 {
				items[i] = single[r.IntN(len(single))]
			}
		}
		out = append(out, `{"instances": [`+strings.Join(items, ", ")+`]}`)
	}
	return out
}

// TestAgreement checks that a request validator built from the served
// OpenAPI document (libopenapi-validator) and the server accept and refuse
// the same prediction requests, and that every answer of the server fits
// the document. Bodies are generated from each model's manifest: bounds,
// just beyond them, wrong types, numeric strings, non-finite values,
// missing and extra fields, single and batch requests; then random
// mixtures with a fixed seed. Not generated: what JSON Schema cannot
// state — duplicate keys (refused by the server; a JSON object has none),
// nesting beyond 64 levels in ignored fields, bodies over the size limit —
// and numbers beyond float64's range in ignored fields, which the
// validator's JSON decoder cannot read at all.
func TestAgreement(t *testing.T) {
	ts := docServer(t)
	jsonDoc, _ := fetchDocument(t, ts)
	doc, err := libopenapi.NewDocument(jsonDoc)
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	r := rand.New(rand.NewPCG(2026, 4))
	random := 600
	if testing.Short() {
		random = 100
	}
	type route struct {
		path  string
		batch bool
		model *catalog.Model
	}
	var routes []route
	for i, e := range ts.cat.Entries() {
		m := e.Model()
		if i == 0 {
			routes = append(routes, route{"/api/v1/predict", false, m}, route{"/api/v1/predict/batch", true, m})
		}
		routes = append(routes, route{"/api/v1/models/" + m.Name() + "/predict", false, m}, route{"/api/v1/models/" + m.Name() + "/predict/batch", true, m})
	}
	counts := map[string]int{}
	for _, rt := range routes {
		single := bodies(r, rt.model, random)
		reqs := single
		if rt.batch {
			reqs = batches(r, single, random/3)
		}
		for _, body := range reqs {
			accepted, status, resp := serve(t, ts, rt.path, body)
			req := newRequest(t, ts.URL+rt.path, body)
			ok, verrs := v.ValidateHttpRequest(req)
			if ok != accepted {
				var reasons []string
				for _, e := range verrs {
					reasons = append(reasons, e.Message+": "+e.Reason)
					for _, se := range e.SchemaValidationErrors {
						reasons = append(reasons, "  "+se.Reason+" at "+se.FieldPath)
					}
				}
				t.Errorf("POST %s %s: server %d %s; validator accepts = %v %v", rt.path, body, status, resp.body, ok, reasons)
			}
			counts[fmt.Sprintf("%v", accepted)]++
			if rok, rerrs := v.ValidateHttpResponse(newRequest(t, ts.URL+rt.path, body), resp.http); !rok {
				t.Errorf("POST %s %s: the answer %d %s does not fit the document: %s", rt.path, body, status, resp.body, rerrs[0].Reason)
			}
		}
	}
	if counts["true"] < 100 || counts["false"] < 100 {
		t.Errorf("accepted %d and refused %d requests; want at least 100 of each", counts["true"], counts["false"])
	}
	t.Logf("accepted %d, refused %d", counts["true"], counts["false"])
}

type answer struct {
	http *http.Response
	body []byte
}

// serve posts a body and returns whether the server accepted it (200);
// any answer but 200, 400 and 422 fails the test.
func serve(t *testing.T, ts *testServer, path, body string) (bool, int, answer) {
	t.Helper()
	resp, err := ts.Client().Post(ts.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	switch resp.StatusCode {
	case http.StatusOK, http.StatusBadRequest, http.StatusUnprocessableEntity:
	default:
		t.Fatalf("POST %s %s = %d %s; want 200, 400 or 422", path, body, resp.StatusCode, b)
	}
	return resp.StatusCode == http.StatusOK, resp.StatusCode, answer{resp, b}
}

func newRequest(t *testing.T, url, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

// expressible reports whether a body stays within what JSON Schema and the
// validator's decoder can judge: valid UTF-8, no duplicate keys, no number
// beyond float64's range, nesting under 64 levels. Other bodies are not
// compared.
func expressible(body string) bool {
	if !utf8.ValidString(body) {
		return false
	}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	type frame struct {
		object bool
		keys   map[string]bool
		key    bool // the next string is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return true // the end, or a syntax error both refuse
		}
		top := (*frame)(nil)
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		isKey := top != nil && top.object && top.key
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				if top != nil && top.object {
					top.key = true
				}
				stack = append(stack, &frame{object: v == '{', keys: map[string]bool{}, key: v == '{'})
				if len(stack) > 60 {
					return false
				}
			default:
				stack = stack[:len(stack)-1]
			}
			continue
		case string:
			if isKey {
				if top.keys[v] {
					return false
				}
				top.keys[v] = true
				top.key = false
				continue
			}
		case json.Number:
			if _, err := strconv.ParseFloat(string(v), 64); err != nil {
				return false
			}
		}
		if top != nil && top.object {
			top.key = true
		}
	}
}

// FuzzAgreement feeds arbitrary bodies to the server and to a validator
// built from its document; they must agree on every body JSON Schema can
// judge (see expressible).
func FuzzAgreement(f *testing.F) {
	r := rand.New(rand.NewPCG(1, 1))
	ts := docServer(f)
	for _, b := range bodies(r, ts.cat.Default().Model(), 20) {
		f.Add(b)
	}
	jsonDoc, _ := fetchDocument(f, ts)
	doc, err := libopenapi.NewDocument(jsonDoc)
	if err != nil {
		f.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		f.Fatal(errs)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if !expressible(body) {
			t.Skip()
		}
		for _, path := range []string{"/api/v1/predict", "/api/v1/models/toy_types/predict"} {
			accepted, status, resp := serve(t, ts, path, body)
			if ok, verrs := v.ValidateHttpRequest(newRequest(t, ts.URL+path, body)); ok != accepted {
				t.Errorf("POST %s %q: server %d %s; validator accepts = %v %v", path, body, status, resp.body, ok, verrs)
			}
		}
	})
}
