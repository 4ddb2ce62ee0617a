package manifest

import (
	"bytes"
	"math"
	"math/big"
	"strings"

	"github.com/tabserve/tabserve/internal/onnx"
)

// A Bound is an inclusive limit on a numeric feature's values.
type Bound struct {
	// Value is the limit.
	Value float64
	// Text is Value's exact decimal expansion in plain notation, such as
	// "18" or "0.299999999999999988897769753748434595763683319091796875"
	// for a manifest's 0.3. Numeric strings are compared with it exactly.
	Text string
}

func newBound(v float64) Bound { return Bound{Value: v, Text: exactDecimal(v)} }

// exactDecimal returns the exact value of a finite float64 in plain
// decimal notation, without trailing zeros in its fraction.
func exactDecimal(v float64) string {
	s := new(big.Rat).SetFloat64(v).FloatString(1074) // 2^-1074 has 1074 decimals
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// A limit is the range of values a feature can take beyond its
// manifest's bounds, and the message for values outside it.
type limit struct {
	lo, hi Bound
	msg    string
}

// inputLimit returns the range of values of a feature of type t that an
// input of element type dt holds exactly; ok is false for strings and
// booleans, which have none.
func inputLimit(t Type, dt onnx.DataType) (l limit, ok bool) {
	switch {
	case t == Integer && dt == onnx.Int32:
		return limit{newBound(math.MinInt32), newBound(math.MaxInt32), msgInt32}, true
	case t == Integer:
		// Beyond 2^53 a float64, which every value passes through, skips integers.
		return limit{newBound(-maxSafeInteger), newBound(maxSafeInteger), msgUnsafe}, true
	case t == Number && dt == onnx.Float32:
		return limit{newBound(-math.MaxFloat32), newBound(math.MaxFloat32), msgRange32}, true
	case t == Number:
		return limit{newBound(-math.MaxFloat64), newBound(math.MaxFloat64), msgRange64}, true
	}
	return limit{}, false
}

// isDecimal reports whether b is a JSON number in plain decimal notation:
// JSON's number grammar without an exponent. Numeric strings must be
// written so, which keeps their set expressible as a regular expression
// in the API's schema.
func isDecimal(b []byte) bool {
	return isNumber(b) && !bytes.ContainsAny(b, "eE")
}

// splitDecimal splits a plain decimal into its sign, its integer digits
// without leading zeros ("" for zero) and its fraction digits without
// trailing zeros.
func splitDecimal[S string | []byte](s S) (neg bool, intPart, frac S) {
	if len(s) > 0 && s[0] == '-' {
		neg, s = true, s[1:]
	}
	intPart = s
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			intPart, frac = s[:i], s[i+1:]
			break
		}
	}
	for len(intPart) > 0 && intPart[0] == '0' {
		intPart = intPart[1:]
	}
	for len(frac) > 0 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	if len(intPart) == 0 && len(frac) == 0 {
		neg = false // -0 is 0
	}
	return neg, intPart, frac
}

// integralDecimal reports whether a plain decimal has an integral value.
func integralDecimal(b []byte) bool {
	_, _, frac := splitDecimal(b)
	return len(frac) == 0
}

// cmpDecimal compares two plain decimals exactly: -1 when a < b, 0 when
// they are equal, +1 when a > b.
func cmpDecimal(a []byte, b string) int {
	an, ai, af := splitDecimal(a)
	bn, bi, bf := splitDecimal(b)
	if an != bn {
		if an {
			return -1
		}
		return 1
	}
	c := cmpMagnitude(ai, af, bi, bf)
	if an {
		return -c
	}
	return c
}

func cmpMagnitude(ai, af []byte, bi, bf string) int {
	if len(ai) != len(bi) {
		return sign(len(ai) - len(bi))
	}
	for i := range len(ai) {
		if ai[i] != bi[i] {
			return sign(int(ai[i]) - int(bi[i]))
		}
	}
	for i := 0; i < len(af) || i < len(bf); i++ {
		var x, y byte = '0', '0'
		if i < len(af) {
			x = af[i]
		}
		if i < len(bf) {
			y = bf[i]
		}
		if x != y {
			return sign(int(x) - int(y))
		}
	}
	return 0
}

func sign(d int) int {
	switch {
	case d < 0:
		return -1
	case d > 0:
		return 1
	}
	return 0
}

// below reports whether a value is below bound b. x is the value as a
// float64; text, for a numeric string, is the decimal it was read from,
// which is compared exactly: it can differ from the bound where its
// float64 rounding equals it.
func below(x float64, text []byte, b *Bound) bool {
	if x != b.Value || text == nil {
		return x < b.Value
	}
	return cmpDecimal(text, b.Text) < 0
}

// above reports whether a value is above bound b; see below.
func above(x float64, text []byte, b *Bound) bool {
	if x != b.Value || text == nil {
		return x > b.Value
	}
	return cmpDecimal(text, b.Text) > 0
}
