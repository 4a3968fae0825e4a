package dev.blockdeck.qmp.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** C's {@code printf("%.17g", d)} as glibc prints it (how QEMU writes floating-point numbers). */
final class CDoubleFormat {
    private static final int PRECISION = 17;
    private static final MathContext ROUND = new MathContext(PRECISION, RoundingMode.HALF_EVEN);

    private CDoubleFormat() {
    }

    static String g17(double d) {
        boolean negative = (Double.doubleToRawLongBits(d) < 0);
        if (Double.isNaN(d)) {
            return negative ? "-nan" : "nan";
        }
        if (Double.isInfinite(d)) {
            return negative ? "-inf" : "inf";
        }
        if (d == 0) {
            return negative ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(Math.abs(d)).round(ROUND);
        String digits = rounded.unscaledValue().toString();
        int exponent = digits.length() - rounded.scale() - 1; // decimal exponent of the first digit
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        digits = digits.substring(0, end);

        StringBuilder sb = new StringBuilder(24);
        if (negative) {
            sb.append('-');
        }
        if (exponent < -4 || exponent >= PRECISION) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                sb.append('0');
            }
            sb.append(abs);
        } else if (exponent < 0) {
            sb.append("0.");
            for (int i = -1; i > exponent; i--) {
                sb.append('0');
            }
            sb.append(digits);
        } else {
            int intDigits = exponent + 1;
            if (digits.length() <= intDigits) {
                sb.append(digits);
                for (int i = digits.length(); i < intDigits; i++) {
                    sb.append('0');
                }
            } else {
                sb.append(digits, 0, intDigits).append('.').append(digits, intDigits, digits.length());
            }
        }
        return sb.toString();
    }
}
