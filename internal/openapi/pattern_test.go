package openapi

import (
	"math"
	"math/big"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

func TestDecimalPatternExamples(t *testing.T) {
	tests := []struct {
		lo, hi  string
		integer bool
		want    string
		match   []string
		refuse  []string
	}{
		{lo: "18", hi: "120", integer: true, want: `^(1[89]|[2-9][0-9]|1([01][0-9]|20))(\.0+)?$`,
			match:  []string{"18", "19", "99", "100", "119", "120", "120.000", "35.0"},
			refuse: []string{"17", "121", "35.5", "-18", "018", "1e2", "", "0"}},
		{lo: "0", hi: "1", match: []string{"0", "-0", "-0.000", "0.5", "1", "1.0", "0.999999999"},
			refuse: []string{"1.0001", "-0.1", "2", ".5", "1.", "01"}},
		{lo: "-2.5", hi: "0.25", match: []string{"-2.5", "-2.50", "-1", "-0", "0", "0.25", "0.1", "-2.4999"},
			refuse: []string{"-2.51", "0.26", "0.250001", "-3"}},
		{lo: "0.3", hi: "0.3", match: []string{"0.3", "0.30"}, refuse: []string{"0.31", "0.29999", "0", "1.3"}},
		{lo: "5", hi: "4", refuse: []string{"4", "5", "4.5", ""}},
		{lo: "0.5", hi: "0.9", integer: true, refuse: []string{"0", "1", "0.5"}},
	}
	for _, tt := range tests {
		p := decimalPattern(tt.lo, tt.hi, tt.integer)
		if tt.want != "" && p != tt.want {
			t.Errorf("decimalPattern(%s, %s, %v) = %s; want %s", tt.lo, tt.hi, tt.integer, p, tt.want)
		}
		re := regexp.MustCompile(p)
		for _, s := range tt.match {
			if !re.MatchString(s) {
				t.Errorf("decimalPattern(%s, %s, %v) = %s does not match %q", tt.lo, tt.hi, tt.integer, p, s)
			}
		}
		for _, s := range tt.refuse {
			if re.MatchString(s) {
				t.Errorf("decimalPattern(%s, %s, %v) = %s matches %q", tt.lo, tt.hi, tt.integer, p, s)
			}
		}
	}
}

// grammar is the plain decimal notation numeric strings take.
var grammar = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?$`)

// accepts is the rule the pattern expresses, computed exactly.
func accepts(s string, lo, hi *big.Rat, integer bool) bool {
	if !grammar.MatchString(s) {
		return false
	}
	x, _ := new(big.Rat).SetString(s)
	return x.Cmp(lo) >= 0 && x.Cmp(hi) <= 0 && (!integer || x.IsInt())
}

// nearby returns a decimal close to s: s itself, reformatted, or a
// digit changed, added or removed.
func nearby(r *rand.Rand, s string) string {
	switch r.IntN(8) {
	case 0:
		return s
	case 1:
		if strings.Contains(s, ".") {
			return s + strings.Repeat("0", 1+r.IntN(3))
		}
		return s + ".0"
	case 2:
		return s + string("0123456789"[r.IntN(10)])
	case 3:
		if strings.HasPrefix(s, "-") {
			return s[1:]
		}
		return "-" + s
	case 4:
		if len(s) > 1 {
			return s[:len(s)-1]
		}
	case 5:
		if strings.Contains(s, ".") {
			return s + "0000000000000000001"
		}
		return s + ".0000000000000000001"
	}
	b := []byte(s)
	i := r.IntN(len(b))
	if b[i] >= '0' && b[i] <= '9' {
		b[i] = "0123456789"[r.IntN(10)]
	}
	return string(b)
}

func randomDecimal(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(3) == 0 {
		b.WriteByte('-')
	}
	digits := "0123456789"
	if r.IntN(3) == 0 {
		digits = "09" // exercises carries and nines
	}
	if r.IntN(4) == 0 {
		b.WriteByte('0')
	} else {
		b.WriteByte("123456789"[r.IntN(9)])
		for range r.IntN(5) {
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

// TestDecimalPattern checks the pattern against the exact rule on random
// bounds and on strings at, near and beyond them.
func TestDecimalPattern(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 2))
	for range 3000 {
		lo, hi := randomDecimal(r), randomDecimal(r)
		a, _ := new(big.Rat).SetString(lo)
		b, _ := new(big.Rat).SetString(hi)
		if a.Cmp(b) > 0 && r.IntN(10) > 0 {
			lo, hi, a, b = hi, lo, b, a
		}
		integer := r.IntN(3) == 0
		p := decimalPattern(lo, hi, integer)
		re, err := regexp.Compile(p)
		if err != nil {
			t.Fatalf("decimalPattern(%s, %s, %v) = %s: %v", lo, hi, integer, p, err)
		}
		for range 40 {
			var s string
			switch r.IntN(3) {
			case 0:
				s = nearby(r, lo)
			case 1:
				s = nearby(r, hi)
			default:
				s = randomDecimal(r)
			}
			if got, want := re.MatchString(s), accepts(s, a, b, integer); got != want {
				t.Fatalf("decimalPattern(%s, %s, %v) = %s: matches %q = %v; want %v", lo, hi, integer, p, s, got, want)
			}
		}
	}
}

func TestDecimalPatternLimits(t *testing.T) {
	exact := func(v float64) string { return new(big.Rat).SetFloat64(v).FloatString(0) }
	tests := []struct {
		lo, hi  string
		integer bool
		maxLen  int
	}{
		{"0", exact(math.MaxFloat32), false, 800},
		{exact(-math.MaxFloat32), exact(math.MaxFloat32), false, 800},
		{"-9007199254740992", "9007199254740992", true, 300},
		{"0", exact(math.MaxFloat64), false, 6000},
	}
	for _, tt := range tests {
		p := decimalPattern(tt.lo, tt.hi, tt.integer)
		if len(p) > tt.maxLen {
			t.Errorf("decimalPattern(%s, %s) is %d bytes long; want at most %d", tt.lo, tt.hi, len(p), tt.maxLen)
		}
		re := regexp.MustCompile(p)
		a, _ := new(big.Rat).SetString(tt.lo)
		b, _ := new(big.Rat).SetString(tt.hi)
		for _, s := range []string{tt.lo, tt.hi, tt.hi + ".0", tt.hi + ".0000001", tt.hi + "0", tt.lo + ".5", "0", "-0", "1.5",
			strings.TrimSuffix(tt.hi, "0") + "1", tt.hi[:len(tt.hi)-1]} {
			if got, want := re.MatchString(s), accepts(s, a, b, tt.integer); got != want {
				t.Errorf("decimalPattern(%s, %s): matches %q = %v; want %v", tt.lo, tt.hi, s, got, want)
			}
		}
	}
}
