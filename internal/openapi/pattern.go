package openapi

import (
	"math/big"
	"strconv"
	"strings"
)

// decimalPattern returns a regular expression (ECMA-262 and RE2 alike)
// that matches exactly the plain decimals — JSON numbers without an
// exponent — whose value lies in [lo, hi], and with integer only those
// whose value is integral. lo and hi are plain decimals too. It is how
// the schema states the numeric strings a feature accepts.
func decimalPattern(lo, hi string, integer bool) string {
	a, ok1 := new(big.Rat).SetString(lo)
	b, ok2 := new(big.Rat).SetString(hi)
	if !ok1 || !ok2 || a.Cmp(b) > 0 {
		return "^$.^" // matches nothing
	}
	if integer {
		a, b = ceil(a), floor(b)
	}
	var pos, neg []string
	zero := new(big.Rat)
	if b.Sign() >= 0 { // non-negative values in [max(lo, 0), hi]
		pos = magnitude(maxRat(a, zero), b, integer)
	}
	if a.Sign() <= 0 { // negative values, and -0, in [lo, min(hi, 0)]
		neg = magnitude(maxRat(new(big.Rat).Neg(b), zero), new(big.Rat).Neg(a), integer)
	}
	var alts []string
	switch {
	case len(neg) > 0 && group(pos) == group(neg): // symmetric
		alts = []string{"-?" + group(neg)}
	case len(neg) > 0:
		alts = append(pos, "-"+group(neg))
	default:
		alts = pos
	}
	if len(alts) == 0 {
		return "^$.^"
	}
	p := "^" + group(alts)
	if integer {
		p += `(\.0+)?`
	}
	return p + "$"
}

func maxRat(a, b *big.Rat) *big.Rat {
	if a.Cmp(b) >= 0 {
		return a
	}
	return b
}

func floor(r *big.Rat) *big.Rat {
	q := new(big.Int).Div(r.Num(), r.Denom()) // Euclidean: rounds down for positive denominators
	return new(big.Rat).SetInt(q)
}

func ceil(r *big.Rat) *big.Rat {
	f := floor(r)
	if f.Cmp(r) < 0 {
		f.Add(f, big.NewRat(1, 1))
	}
	return f
}

// magnitude returns the alternatives that match the unsigned decimals in
// [a, b], 0 <= a <= b.
func magnitude(a, b *big.Rat, integer bool) []string {
	if a.Cmp(b) > 0 {
		return nil
	}
	if !integer && a.IsInt() && b.IsInt() {
		// Integral bounds, the usual case: an integer part in [a, b-1]
		// with any fraction, or b itself. Saves a fraction per branch.
		bi, _ := digits(b)
		last := bi + `(\.0+)?`
		bm := new(big.Rat).Sub(b, big.NewRat(1, 1))
		if a.Cmp(bm) > 0 {
			return []string{last}
		}
		return []string{group(magnitude(a, bm, true)) + `(\.[0-9]+)?`, last}
	}
	ai, af := digits(a)
	bi, bf := digits(b)
	if len(ai) == len(bi) {
		g := patternGen{l: len(ai), lo: ai + af, hi: bi + bf, integer: integer}
		return g.seq(0, true, true)
	}
	// a's length of integer part; the lengths between; b's.
	ga := patternGen{l: len(ai), lo: ai + af, integer: integer}
	alts := ga.seq(0, true, false)
	if n := len(bi) - len(ai) - 1; n > 0 {
		alts = append(alts, "[1-9]"+repeat(len(ai), len(bi)-2)+ga.anyFraction())
	}
	gb := patternGen{l: len(bi), hi: bi + bf, integer: integer}
	return append(alts, gb.seq(0, false, true)...)
}

// digits returns a non-negative exact decimal's integer digits ("0" for
// none) and its fraction digits without trailing zeros.
func digits(r *big.Rat) (intPart, frac string) {
	s := r.FloatString(1100) // exact for the float64s and decimals we see
	intPart, frac, _ = strings.Cut(s, ".")
	return intPart, strings.TrimRight(frac, "0")
}

// A patternGen builds the expression for decimals whose integer part has
// l digits, bounded below by lo and above by hi: their digits aligned on
// the point (l integer digits, then the fraction's), missing digits being
// zeros.
type patternGen struct {
	l       int
	lo, hi  string
	integer bool // the fraction must be zero; the caller adds it
}

func digitAt(s string, pos int) int {
	if pos < len(s) {
		return int(s[pos] - '0')
	}
	return 0
}

func restZero(s string, pos int) bool {
	for ; pos < len(s); pos++ {
		if s[pos] != '0' {
			return false
		}
	}
	return true
}

// loose reports whether the bound is no constraint from pos on: below,
// when lo's remaining digits are zero; above, in integer mode, when hi's
// remaining integer digits are nines.
func (g *patternGen) looseLo(pos int) bool { return restZero(g.lo, pos) }

func (g *patternGen) looseHi(pos int) bool {
	if !g.integer || pos > g.l {
		return false
	}
	for ; pos < g.l; pos++ {
		if g.hi[pos] != '9' {
			return false
		}
	}
	return true
}

// anyFraction matches any fraction (or none).
func (g *patternGen) anyFraction() string {
	if g.integer {
		return ""
	}
	return `(\.[0-9]+)?`
}

// seq returns the alternatives matching the digits from pos on: the rest
// of the integer part and then the fraction, bounded by lo when lt and by
// hi when ht.
func (g *patternGen) seq(pos int, lt, ht bool) []string {
	lt = lt && !g.looseLo(pos)
	ht = ht && !g.looseHi(pos)
	if pos == g.l {
		return g.fraction(lt, ht)
	}
	low, high := 0, 9
	if pos == 0 && g.l > 1 {
		low = 1 // no leading zero
	}
	if lt {
		low = digitAt(g.lo, pos)
	}
	if ht {
		high = digitAt(g.hi, pos)
	}
	if !lt && !ht {
		if low == 0 && high == 9 {
			return []string{repeat(g.l-pos, g.l-pos) + g.anyFraction()}
		}
		return []string{class(low, high) + repeat(g.l-pos-1, g.l-pos-1) + g.anyFraction()}
	}
	return g.branch(low, high, lt && !g.looseLo(pos+1), ht && !g.looseHi(pos+1), func(nlt, nht bool) []string { return g.seq(pos+1, nlt, nht) })
}

// branch groups the digits low..high by the bounds that still hold after
// them — lo after low when lt, hi after high when ht — and joins each
// group's class with what may follow it.
func (g *patternGen) branch(low, high int, lt, ht bool, next func(lt, ht bool) []string) []string {
	var alts []string
	state := func(d int) (bool, bool) { return lt && d == low, ht && d == high }
	for d := low; d <= high; {
		nlt, nht := state(d)
		e := d
		for e < high {
			x, y := state(e + 1)
			if x != nlt || y != nht {
				break
			}
			e++
		}
		if rest := next(nlt, nht); len(rest) > 0 {
			alts = append(alts, class(d, e)+group(rest))
		}
		d = e + 1
	}
	return alts
}

// fraction returns the alternatives matching what follows the integer
// part: nothing, or a point and at least one digit.
func (g *patternGen) fraction(lt, ht bool) []string {
	if g.integer {
		if lt {
			return nil // lo has a fraction; callers round it up first
		}
		return []string{""}
	}
	if !lt && !ht {
		return []string{`(\.[0-9]+)?`}
	}
	f := g.fracDigits(g.l, lt, ht, true)
	if len(f) == 0 {
		return nil
	}
	if lt {
		return []string{`\.` + group(f)} // below lo without a fraction
	}
	return []string{`(\.` + group(f) + `)?`}
}

// fracDigits returns the alternatives matching the fraction digits from
// pos on; need says at least one digit must follow.
func (g *patternGen) fracDigits(pos int, lt, ht, need bool) []string {
	lt = lt && !restZero(g.lo, pos)
	var alts []string
	switch {
	case !lt && !ht:
		alts = []string{"[0-9]*"}
		if need {
			alts = []string{"[0-9]+"}
		}
		return alts
	case ht && restZero(g.hi, pos):
		if lt {
			return nil
		}
		if need {
			return []string{"0+"}
		}
		return []string{"0*"}
	}
	low, high := 0, 9
	if lt {
		low = digitAt(g.lo, pos)
	}
	if ht {
		high = digitAt(g.hi, pos)
	}
	alts = g.branch(low, high, lt && !restZero(g.lo, pos+1), ht, func(nlt, nht bool) []string { return g.fracDigits(pos+1, nlt, nht, false) })
	if len(alts) > 0 && !need && !lt {
		return []string{"(" + strings.Join(alts, "|") + ")?"} // or end here
	}
	return alts
}

// class returns the character class of the digits lo..hi.
func class(lo, hi int) string {
	switch {
	case lo == hi:
		return strconv.Itoa(lo)
	case lo+1 == hi:
		return "[" + strconv.Itoa(lo) + strconv.Itoa(hi) + "]"
	case lo == 0 && hi == 9:
		return "[0-9]"
	}
	return "[" + strconv.Itoa(lo) + "-" + strconv.Itoa(hi) + "]"
}

// repeat returns [0-9] repeated min to max times.
func repeat(lo, hi int) string {
	switch {
	case hi <= 0:
		return ""
	case lo == hi && lo == 1:
		return "[0-9]"
	case lo == hi:
		return "[0-9]{" + strconv.Itoa(lo) + "}"
	}
	return "[0-9]{" + strconv.Itoa(lo) + "," + strconv.Itoa(hi) + "}"
}

// group joins alternatives, in parentheses when there are several.
func group(alts []string) string {
	switch len(alts) {
	case 0:
		return ""
	case 1:
		return alts[0]
	}
	return "(" + strings.Join(alts, "|") + ")"
}
