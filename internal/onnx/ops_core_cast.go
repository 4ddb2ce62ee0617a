package onnx

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
)

// number is the set of numeric element types.
type number interface {
	float32 | float64 | int64 | int32
}

// castInto writes src converted to type to into dst, as onnxruntime's Cast
// does on x86-64: floats convert to integers by truncation toward zero,
// with NaN and out-of-range values becoming the integer type's minimum;
// integers convert to narrower ones by dropping high bits; anything
// converts to bool as "is not zero"; strings convert as C's strtod and
// strtoll parse them, and numbers format as C's "%.8g" (floats) and
// decimal (integers and bools).
func castInto(dst, src *Tensor, to DataType) error {
	if src.Type == to {
		dst.copyFrom(src)
		return nil
	}
	if !to.supported() {
		return fmt.Errorf("cast to %v is not supported", to)
	}
	dst.reset(to, src.Shape)
	switch src.Type {
	case Float32:
		castFromFloat(dst, src.Float32)
	case Float64:
		castFromFloat(dst, src.Float64)
	case Int64:
		castFromInt(dst, src.Int64)
	case Int32:
		castFromInt(dst, src.Int32)
	case Bool:
		castFromBool(dst, src.Bool)
	case String:
		return castFromString(dst, src.String)
	default:
		return fmt.Errorf("cast from %v is not supported", src.Type)
	}
	return nil
}

// castFromFloat converts floats into dst, which has been reset to its type
// (not S's).
func castFromFloat[S float32 | float64](dst *Tensor, src []S) {
	switch dst.Type {
	case Float32:
		convert(dst.Float32, src)
	case Float64:
		convert(dst.Float64, src)
	case Int64:
		for i, v := range src {
			dst.Int64[i] = truncInt64(float64(v))
		}
	case Int32:
		for i, v := range src {
			dst.Int32[i] = truncInt32(float64(v))
		}
	case Bool:
		for i, v := range src {
			dst.Bool[i] = v != 0
		}
	case String:
		for i, v := range src {
			dst.String[i] = formatCFloat(float64(v))
		}
	}
}

// castFromInt converts integers into dst, which has been reset to its type.
func castFromInt[S int64 | int32](dst *Tensor, src []S) {
	switch dst.Type {
	case Float32:
		convert(dst.Float32, src)
	case Float64:
		convert(dst.Float64, src)
	case Int64:
		convert(dst.Int64, src)
	case Int32:
		convert(dst.Int32, src)
	case Bool:
		for i, v := range src {
			dst.Bool[i] = v != 0
		}
	case String:
		for i, v := range src {
			dst.String[i] = strconv.FormatInt(int64(v), 10)
		}
	}
}

// castFromBool converts bools into dst, which has been reset to its type.
func castFromBool(dst *Tensor, src []bool) {
	for i, v := range src {
		var b int64
		if v {
			b = 1
		}
		switch dst.Type {
		case Float32:
			dst.Float32[i] = float32(b)
		case Float64:
			dst.Float64[i] = float64(b)
		case Int64:
			dst.Int64[i] = b
		case Int32:
			dst.Int32[i] = int32(b)
		case String:
			dst.String[i] = strconv.FormatInt(b, 10)
		}
	}
}

// castFromString parses strings into dst, which has been reset to its type.
func castFromString(dst *Tensor, src []string) error {
	for i, s := range src {
		if err := parseInto(dst, i, s); err != nil {
			return fmt.Errorf("cannot cast %q to %v: %w", s, dst.Type, err)
		}
	}
	return nil
}

// parseInto parses s into element i of dst.
func parseInto(dst *Tensor, i int, s string) error {
	switch dst.Type {
	case Float32, Float64:
		v, err := parseCFloat(s)
		if err != nil {
			return err
		}
		if dst.Type == Float32 {
			dst.Float32[i] = float32(v)
		} else {
			dst.Float64[i] = v
		}
	case Int64, Int32:
		v, err := parseCInt(s)
		if err != nil {
			return err
		}
		if dst.Type == Int64 {
			dst.Int64[i] = v
		} else {
			dst.Int32[i] = int32(v)
		}
	case Bool:
		v, err := parseCUint(s)
		if err != nil {
			return err
		}
		dst.Bool[i] = v != 0
	}
	return nil
}

// convert converts numbers with Go's conversion, which rounds to nearest
// when the target is a float and drops high bits when both are integers.
// It must not be used from floats to integers (see truncInt64).
func convert[D, S number](dst []D, src []S) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = D(v)
	}
}

// truncInt64 converts x to int64 as x86-64's cvttsd2si does: truncation
// toward zero, and math.MinInt64 for NaN and values out of range.
func truncInt64(x float64) int64 {
	if x >= -(1<<63) && x < 1<<63 {
		return int64(x)
	}
	return math.MinInt64
}

// truncInt32 converts x to int32 as x86-64's cvttsd2si does with a 32-bit
// destination: truncation toward zero, and math.MinInt32 for NaN and
// values out of range.
func truncInt32(x float64) int32 {
	if x > -(1<<31)-1 && x < 1<<31 {
		return int32(x)
	}
	return math.MinInt32
}

// formatCFloat formats x as onnxruntime casts floats to strings: C's
// "%.8g", with "NaN", "INF" and "-INF" for the special values.
func formatCFloat(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "INF"
	case math.IsInf(x, -1):
		return "-INF"
	}
	// Go's 'g' format with a precision trims trailing zeros and picks the
	// exponent form by C's rule (exponent < -4 or >= precision).
	return strconv.FormatFloat(x, 'g', 8, 64)
}

var (
	errNoNumber    = errors.New("no number to parse")
	errNumberRange = errors.New("number out of range")
)

func isCSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHexDigit(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

// hasPrefixFold reports whether s starts with the lower-case ASCII prefix.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if s[i]|0x20 != prefix[i] {
			return false
		}
	}
	return true
}

// parseCFloat parses the longest prefix of s that C's strtod accepts (after
// leading white space: a decimal or hexadecimal float, "inf", "infinity" or
// "nan", in any case), as std::stod does: no number is an error, and so is
// a result that overflows or underflows (strtod's ERANGE). Trailing text is
// ignored.
func parseCFloat(s string) (float64, error) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	start := i
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	rest := s[i:]
	switch {
	case hasPrefixFold(rest, "inf"):
		if neg {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	case hasPrefixFold(rest, "nan"):
		return math.NaN(), nil
	}
	hex := len(rest) > 2 && rest[0] == '0' && rest[1]|0x20 == 'x' &&
		(isHexDigit(rest[2]) || (rest[2] == '.' && len(rest) > 3 && isHexDigit(rest[3])))
	digit := isDigit
	if hex {
		i += 2
		digit = isHexDigit
	}
	digits, nonzero := 0, false
	for ; i < len(s) && digit(s[i]); i++ {
		digits++
		nonzero = nonzero || s[i] != '0'
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && digit(s[i]); i++ {
			digits++
			nonzero = nonzero || s[i] != '0'
		}
	}
	if digits == 0 {
		return 0, errNoNumber
	}
	expChar := byte('e')
	if hex {
		expChar = 'p'
	}
	hasExp := false
	if i < len(s) && s[i]|0x20 == expChar {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i, hasExp = j, true
		}
	}
	lit := s[start:i]
	if hex && !hasExp {
		lit += "p0"
	}
	v, err := strconv.ParseFloat(lit, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, errNoNumber
	}
	if math.IsInf(v, 0) {
		return 0, errNumberRange
	}
	// strtod reports underflow (a nonzero value below the normal range that
	// it had to round); a decimal there is never exact, a hexadecimal may be.
	if nonzero && math.Abs(v) < 0x1p-1022 && (!hex || !exactHex(lit)) {
		return 0, errNumberRange
	}
	return v, nil
}

// exactHex reports whether a hexadecimal float literal is exactly a
// float64.
func exactHex(lit string) bool {
	f, _, err := big.ParseFloat(lit, 0, uint(4*len(lit)+64), big.ToNearestEven)
	if err != nil {
		return false
	}
	_, acc := f.Float64()
	return acc == big.Exact
}

// parseCInt parses a base-10 integer prefix of s as std::stoll does.
func parseCInt(s string) (int64, error) {
	neg, mag, err := parseCDigits(s)
	if err != nil {
		return 0, err
	}
	if neg {
		if mag > 1<<63 {
			return 0, errNumberRange
		}
		return -int64(mag), nil
	}
	if mag > math.MaxInt64 {
		return 0, errNumberRange
	}
	return int64(mag), nil
}

// parseCUint parses a base-10 integer prefix of s as std::stoull does: a
// minus sign negates the value modulo 2^64.
func parseCUint(s string) (uint64, error) {
	neg, mag, err := parseCDigits(s)
	if err != nil {
		return 0, err
	}
	if neg {
		return -mag, nil
	}
	return mag, nil
}

// parseCDigits reads leading white space, an optional sign and decimal
// digits, and returns the sign and the magnitude (an error when there is
// no digit or the magnitude exceeds 2^64-1).
func parseCDigits(s string) (neg bool, mag uint64, err error) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	for ; i < len(s) && isDigit(s[i]); i++ {
		d := uint64(s[i] - '0')
		if mag > (math.MaxUint64-d)/10 {
			return false, 0, errNumberRange
		}
		mag = mag*10 + d
	}
	if i == start {
		return false, 0, errNoNumber
	}
	return neg, mag, nil
}
