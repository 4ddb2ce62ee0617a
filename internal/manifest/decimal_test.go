package manifest

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx"
)

func TestIsDecimal(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"0", true}, {"-0", true}, {"7", true}, {"720", true}, {"0.5", true}, {"-12.250", true}, {"0.000", true},
		{"", false}, {"-", false}, {"007", false}, {"+7", false}, {"7.", false}, {".5", false}, {"1e3", false},
		{"1E3", false}, {"1.5e-3", false}, {" 7", false}, {"7 ", false}, {"0x10", false}, {"NaN", false}, {"--1", false},
	}
	for _, tt := range tests {
		if got := isDecimal([]byte(tt.in)); got != tt.want {
			t.Errorf("isDecimal(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
}

func TestExactDecimal(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {18, "18"}, {-2.5, "-2.5"}, {1 << 53, "9007199254740992"},
		{0.3, "0.299999999999999988897769753748434595763683319091796875"},
		{math.MaxFloat32, "340282346638528859811704183484516925440"},
		{math.SmallestNonzeroFloat64, "0.000" + strings.Repeat("0", 320) + "4940656458412465441765687928682213723650598026143247644255856825006755072702087518652998363616359923797965646954457177309266567103559397963987747960107818781263007131903114045278458171678489821036887186360569987307230500063874091535649843873124733972731696151400317153853980741262385655911710266585566867681870395603106249319452715914924553293054565444011274801297099995419319894090804165633245247571478690147267801593552386115501348035264934720193790268107107491703332226844753335720832431936092382893458368060106011506169809753078342277318329247904982524730776375927247874656084778203734469699533647017972677717585125660551199131504891101451037862738167250955837389733598993664809941164205702637090279242767544565229087538682506419718265533447265625"},
	}
	for _, tt := range tests {
		if got := exactDecimal(tt.in); got != tt.want {
			t.Errorf("exactDecimal(%v) = %s; want %s", tt.in, got, tt.want)
		}
	}
}

// randomDecimal returns a plain decimal of a few digits, often near others
// it may be compared with.
func randomDecimal(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(3) == 0 {
		b.WriteByte('-')
	}
	digits := "0123456789"
	if r.IntN(4) == 0 {
		digits = "09"
	}
	n := 1 + r.IntN(4)
	if r.IntN(3) == 0 {
		b.WriteByte('0')
	} else {
		b.WriteByte("123456789"[r.IntN(9)])
		for range n - 1 {
			b.WriteByte(digits[r.IntN(len(digits))])
		}
	}
	if r.IntN(2) == 0 {
		b.WriteByte('.')
		for range 1 + r.IntN(4) {
			b.WriteByte(digits[r.IntN(len(digits))])
		}
	}
	return b.String()
}

func TestCmpDecimal(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"0", "0", 0}, {"-0", "0", 0}, {"0.000", "-0.0", 0}, {"1", "1.0", 0}, {"10", "9.99", 1},
		{"-10", "-9.99", -1}, {"0.1", "0.10000001", -1}, {"120.0000000000000000001", "120", 1},
		{"-0.0001", "0", -1}, {"00.5", "0.5", 0},
	}
	for _, tt := range tests {
		if got := cmpDecimal([]byte(tt.a), tt.b); got != tt.want {
			t.Errorf("cmpDecimal(%s, %s) = %d; want %d", tt.a, tt.b, got, tt.want)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		a, b := randomDecimal(r), randomDecimal(r)
		x, _ := new(big.Rat).SetString(a)
		y, _ := new(big.Rat).SetString(b)
		if got, want := cmpDecimal([]byte(a), b), x.Cmp(y); got != want {
			t.Fatalf("cmpDecimal(%s, %s) = %d; want %d", a, b, got, want)
		}
		if got, want := integralDecimal([]byte(a)), x.IsInt(); got != want {
			t.Fatalf("integralDecimal(%s) = %v; want %v", a, got, want)
		}
	}
}

func TestRange(t *testing.T) {
	m, err := Parse([]byte(`
name: m
version: v1
features:
  - {name: age, type: integer, minimum: 18, maximum: 120}
  - {name: any, type: integer}
  - {name: x, type: number, minimum: -1e40}
  - {name: small, type: integer, input: i32, maximum: 1e12}
  - {name: d, type: number, input: f64, minimum: 0.3}
  - {name: s, type: string, input: str}
  - {name: b, type: boolean}
labels: [{class: 0, label: a}]
`))
	if err != nil {
		t.Fatal(err)
	}
	vi := func(name string, elem onnx.DataType, n int) onnx.ValueInfo {
		return onnx.ValueInfo{Name: name, Type: onnx.TypeInfo{Kind: "tensor", Elem: elem, Shape: []int{-1, n}, DimNames: make([]string, 2), HasShape: true}}
	}
	m.Features[0].Input, m.Features[1].Input, m.Features[2].Input, m.Features[6].Input = "f32", "f32", "f32", "f32"
	b, err := m.bindInputs([]onnx.ValueInfo{vi("f32", onnx.Float32, 4), vi("i32", onnx.Int32, 1), vi("f64", onnx.Float64, 1), vi("str", onnx.String, 1)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		feature string
		lo, hi  string
		ok      bool
	}{
		{"age", "18", "120", true},
		{"any", "-9007199254740992", "9007199254740992", true},
		{"x", "-340282346638528859811704183484516925440", "340282346638528859811704183484516925440", true},
		{"small", "-2147483648", "2147483647", true},
		{"d", "0.299999999999999988897769753748434595763683319091796875", exactDecimal(math.MaxFloat64), true},
		{"s", "", "", false},
		{"b", "", "", false},
	}
	for k, tt := range tests {
		lo, hi, ok := b.Range(k)
		if lo.Text != tt.lo || hi.Text != tt.hi || ok != tt.ok {
			t.Errorf("Range(%s) = %s, %s, %v; want %s, %s, %v", tt.feature, lo.Text, hi.Text, ok, tt.lo, tt.hi, tt.ok)
		}
	}
	bt := b.NewBatch()
	for _, tc := range []struct{ body, want string }{
		{`{"age": 20, "any": 1, "x": 0, "small": 2147483648, "d": 1, "s": "", "b": 0}`, "small: " + msgInt32},
		{`{"age": 20, "any": 1, "x": 0, "small": "-2147483648", "d": 0.3, "s": "", "b": 0}`, ""},
		{`{"age": 20, "any": 1, "x": 0, "small": 0, "d": "0.3", "s": "", "b": 0}`, ""},
		{`{"age": 20, "any": 1, "x": 0, "small": 0, "d": "0.2999999999999999888977697537484345957636833190", "s": "", "b": 0}`, "d: must be >= 0.3"},
	} {
		bt.Reset()
		err := bt.DecodeObject([]byte(tc.body))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("DecodeObject(%s) = %q; want %q", tc.body, got, tc.want)
		}
	}
}
