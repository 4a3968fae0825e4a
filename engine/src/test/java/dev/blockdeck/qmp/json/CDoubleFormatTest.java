package dev.blockdeck.qmp.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code %.17g} against values printed by glibc's printf (the bit patterns make the inputs exact). */
class CDoubleFormatTest {

    static Stream<Arguments> glibc() {
        return Stream.of(
                Arguments.of(0x3FF8000000000000L, "1.5"),
                Arguments.of(0x408F400000000000L, "1000"),
                Arguments.of(0x3FB999999999999AL, "0.10000000000000001"),
                Arguments.of(0x4341C37937E08000L, "10000000000000000"),
                Arguments.of(0x4376345785D8A000L, "1e+17"),
                Arguments.of(0x3F1A36E2EB1C432DL, "0.0001"),
                Arguments.of(0x3EE4F8B588E368F1L, "1.0000000000000001e-05"),
                Arguments.of(0x3F202E4B6CE5DC68L, "0.00012344999999999999"),
                Arguments.of(0x45F8EE90FF6C373EL, "1.2345678901234568e+29"),
                Arguments.of(0x43F0000000000000L, "1.8446744073709552e+19"),
                Arguments.of(0xC3E0000000000000L, "-9.2233720368547758e+18"),
                Arguments.of(0x3F647AE147AE147BL, "0.0025000000000000001"),
                Arguments.of(0x0000000000000001L, "4.9406564584124654e-324"),
                Arguments.of(0x0010000000000000L, "2.2250738585072014e-308"),
                Arguments.of(0x7FEFFFFFFFFFFFFFL, "1.7976931348623157e+308"),
                Arguments.of(0xBFD0000000000000L, "-0.25"),
                Arguments.of(0x4008000000000000L, "3"),
                Arguments.of(0x4059000000000000L, "100"),
                Arguments.of(0x4345EE2A2EB5A5C4L, "12345678901234568"),
                Arguments.of(0x43118B54F22AEB03L, "1234567890123456.8"),
                Arguments.of(0x3FE0000000000000L, "0.5"),
                Arguments.of(0x44B52D02C7E14AF6L, "9.9999999999999992e+22"),
                Arguments.of(0x4480F0CF064DD592L, "1e+22"),
                Arguments.of(0x44B52D02C7E14AF6L, "9.9999999999999992e+22"),
                Arguments.of(0x405EDD2F1A9FBE77L, "123.456"),
                Arguments.of(0x81A56E1FC2F8F359L, "-1e-300"),
                Arguments.of(0x4011666666666666L, "4.3499999999999996"),
                Arguments.of(0x3FD3333333333333L, "0.29999999999999999"),
                Arguments.of(0x3FE5555555555555L, "0.66666666666666663"),
                Arguments.of(0x3FD5555555555555L, "0.33333333333333331"),
                Arguments.of(0x4340000000000000L, "9007199254740992"),
                Arguments.of(0x4376345785D8A000L, "1e+17"),
                Arguments.of(0xF2A74DE452E6B438L, "-1.989032661366619e+244"),
                Arguments.of(0x6513270E269E0D37L, "7.761117632285041e+178"),
                Arguments.of(0x0C5C7FD0A6A3A450L, "3.980498358697587e-249"),
                Arguments.of(0xD23F0824128B2F33L, "-1.5432835417340557e+88"),
                Arguments.of(0x1818E811892F902BL, "1.3647584518757569e-192"),
                Arguments.of(0x9531985D5D9DC9F8L, "-1.3701135617873088e-206"),
                Arguments.of(0xE8E25D940ED90475L, "-1.7160537630466207e+197"),
                Arguments.of(0x36F675CC81E74EF5L, "6.2946752411953861e-44"),
                Arguments.of(0x1600A35A099950D8L, "1.0613447212142254e-202"),
                Arguments.of(0x6B0D549B6F03675AL, "4.7083251603875462e+207"),
                Arguments.of(0x3D9C172411E20B8FL, "6.3870161585135632e-12"),
                Arguments.of(0x8D116ECE1738F7D9L, "-9.9731303785687331e-246"),
                Arguments.of(0x0F21DDB66CAD4A26L, "8.7797532256802712e-236"),
                Arguments.of(0x90C192CFD3AC94AFL, "-5.7955032484989932e-228"),
                Arguments.of(0xF28C105D1FB17C23L, "-5.9881801593860111e+243"),
                Arguments.of(0xA170B33839263059L, "-1.3060523885277959e-147"),
                Arguments.of(0x953F48F1A09F76B5L, "-2.4361176994848409e-206"),
                Arguments.of(0x0FD630F1F29D0DA9L, "2.2333869991501741e-232"),
                Arguments.of(0x95E60AF593BD04CFL, "-3.5152797062666699e-203"),
                Arguments.of(0x0CB1E29C658CDA14L, "1.5987381841032883e-247"),
                Arguments.of(0x3898D190F9EBDACCL, "4.6678633181812096e-36"),
                Arguments.of(0x8E81973E0BECD7B0L, "-8.4418727921054556e-239"),
                Arguments.of(0x2217BEADDBC496CBL, "1.9015657400796622e-144"),
                Arguments.of(0x6B4CB2424A23D596L, "7.370437700706684e+208"),
                Arguments.of(0x8A6A63EC24EDE6A4L, "-1.7163996725272777e-258"),
                Arguments.of(0x922766581E27A1C0L, "-3.2367190832119987e-221"),
                Arguments.of(0x8F6D05584EF8AA38L, "-2.2818334634712625e-234"),
                Arguments.of(0xAE97BA94D0EDA82FL, "-3.0536383926309363e-84"),
                Arguments.of(0x1A61DBE22E44158BL, "1.3449551894627777e-181"),
                Arguments.of(0x923A736994E3BF91L, "-7.3174959760626057e-221"),
                Arguments.of(0x301850C5A38FD547L, "5.2498223088143036e-77"),
                Arguments.of(0x18F135D25F557203L, "1.5450754142984396e-188"),
                Arguments.of(0xB64CE4228C38FB29L, "-3.9536256982247919e-47"),
                Arguments.of(0x907A70C31012F037L, "-2.7249126747649799e-229"),
                Arguments.of(0x9E7769B10F4205B4L, "-6.5051418615487723e-162"),
                Arguments.of(0x7F15052434B9B5DFL, "1.4414848395559941e+304"),
                Arguments.of(0x881ED162AE2EB154L, "-1.4583679262758548e-269"),
                Arguments.of(0xC6F877186D76B07EL, "-7.9394166688077208e+33"),
                Arguments.of(0x7731AF10506BF2EFL, "1.4255183989699612e+266"),
                Arguments.of(0xEC66A78795E761D1L, "-1.5253157012324029e+214"),
                Arguments.of(0xC0F6DBF3F4C54698L, "-93631.247258449323"),
                Arguments.of(0xC1187148066C556EL, "-400466.00627263531"),
                Arguments.of(0x4121F7ADED143B60L, "588758.9630449824"),
                Arguments.of(0x41184A93784735A0L, "397988.86745914258"),
                Arguments.of(0xC11F3CFBEA0A8100L, "-511806.97855569422"),
                Arguments.of(0x41022B7B5D383238L, "148847.42051734193"),
                Arguments.of(0x40E89B203E7262E0L, "50393.00762290298"),
                Arguments.of(0x4126E585FB7799D8L, "750274.99114685785"),
                Arguments.of(0x411C022A50C58230L, "458890.57887843531"),
                Arguments.of(0xC119E2F1E18140FEL, "-424124.47021962691"),
                Arguments.of(0x412D4EBB63D5186EL, "960349.6949851641"),
                Arguments.of(0xC1274FB8E3112197L, "-763868.44349007576"),
                Arguments.of(0xC103FD52D9F7BBCCL, "-163754.35642954556"),
                Arguments.of(0x411F63A76FBFE7CCL, "514281.85913049872"),
                Arguments.of(0xC1253DBDDC81F4E6L, "-696030.93067899044"),
                Arguments.of(0xC0D58E73239BDA80L, "-22073.799048388842"),
                Arguments.of(0xC12C1FE2F8C88E77L, "-921585.48590512469"),
                Arguments.of(0x411488BEDA2EB478L, "336431.71306879027"),
                Arguments.of(0x412025EB77007DDEL, "529141.73242562613"),
                Arguments.of(0x4101D41F0B604C58L, "146051.88055476802"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("glibc")
    void matchesGlibc(long bits, String expected) {
        assertThat(CDoubleFormat.g17(Double.longBitsToDouble(bits))).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("specials")
    void specialValues(double d, String expected) {
        assertThat(CDoubleFormat.g17(d)).isEqualTo(expected);
    }

    static Stream<Arguments> specials() {
        return Stream.of(
                Arguments.of(0.0, "0"),
                Arguments.of(-0.0, "-0"),
                Arguments.of(Double.POSITIVE_INFINITY, "inf"),
                Arguments.of(Double.NEGATIVE_INFINITY, "-inf"),
                Arguments.of(Double.NaN, "nan"),
                Arguments.of(1e100, "1e+100"),
                Arguments.of(1e-7, "9.9999999999999995e-08"));
    }
}
