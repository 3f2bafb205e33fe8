import Testing
import CNcursesW
@testable import TerminalUI

@Suite struct TerminalTests {
    @Test func refusesWithoutATerminalAndPointsAtRun() {
        let error = TerminalSession.problem(stdinIsTerminal: true, stdoutIsTerminal: false, term: "xterm")
        #expect(error == .notATerminal(stdin: false, stdout: true))
        #expect(error?.exitStatus == 2)
        #expect(error?.description.contains("decay-tutor run") == true)
        #expect(error?.description.contains("standard output is not") == true)
    }

    @Test func refusesUnsetDumbAndUnknownTerm() {
        #expect(TerminalSession.problem(stdinIsTerminal: true, stdoutIsTerminal: true, term: nil) == .noTerminalType)
        #expect(TerminalSession.problem(stdinIsTerminal: true, stdoutIsTerminal: true, term: "") == .noTerminalType)
        #expect(TerminalSession.problem(stdinIsTerminal: true, stdoutIsTerminal: true, term: "dumb") == .dumbTerminal)
        #expect(TerminalSession.problem(stdinIsTerminal: true, stdoutIsTerminal: true, term: "unknown") == .unknownTerminal("unknown"))
        #expect(TerminalSession.problem(stdinIsTerminal: true, stdoutIsTerminal: true, term: "xterm-256color") == nil)
    }

    /// The documented ncurses values: A_UNDERLINE = 1 << 17, A_REVERSE = 1 << 18,
    /// A_DIM = 1 << 20, A_BOLD = 1 << 21, COLOR_PAIR(n) = n << 8,
    /// BUTTON4_PRESSED = 0o2 << 15, BUTTON5_PRESSED = 0o2 << 20.
    @Test func attributeConstantsMatchTheCursesMacros() {
        #expect(TerminalAttributes.underline == 0x0002_0000)
        #expect(TerminalAttributes.reverse == 0x0004_0000)
        #expect(TerminalAttributes.dim == 0x0010_0000)
        #expect(TerminalAttributes.bold == 0x0020_0000)
        #expect(TerminalAttributes.colorPair(3) == 0x300)
        #expect(TerminalAttributes.colorPair(3) & TerminalAttributes.colorMask == 0x300)
        #expect(TerminalAttributes.button4Pressed == 0x0001_0000)
        #expect(TerminalAttributes.button5Pressed == 0x0020_0000)
        #expect(TerminalAttributes.attributes(for: Style(bold: true, underline: true)) == 0x0022_0000)
    }

    @Test func controlCharactersDecodeToKeys() {
        #expect(CursesBackend.decodeCharacter(9) == .tab)
        #expect(CursesBackend.decodeCharacter(13) == .enter)
        #expect(CursesBackend.decodeCharacter(127) == .backspace)
        #expect(CursesBackend.decodeCharacter(27) == .escape)
        #expect(CursesBackend.decodeCharacter(3) == .ctrlC)
        #expect(CursesBackend.decodeCharacter(0x3BB) == .char("λ"))
        #expect(CursesBackend.decodeCharacter(UInt32(("k" as Unicode.Scalar).value)) == .char("k"))
    }
}

@Suite struct NumberFormatTests {
    @Test func formats() {
        #expect(NumberFormat.scientific(0.01, fractionDigits: 1) == "1.0e-02")
        #expect(NumberFormat.scientific(0.000996, fractionDigits: 1) == "1.0e-03")
        #expect(NumberFormat.scientific(0, fractionDigits: 1) == "0.0e+00")
        #expect(NumberFormat.fixed(-0.004, decimals: 2) == "0.00")
        #expect(NumberFormat.fixed(2.5, decimals: 2) == "2.50")
        #expect(NumberFormat.compact(0.001) == "0.001")
        #expect(NumberFormat.compact(0.0001) == "1e-4")
        #expect(NumberFormat.compact(0.00025) == "2.5e-4")
        #expect(NumberFormat.compact(200) == "200")
        #expect(NumberFormat.compact(1e5) == "1e5")
    }

    @Test func linearTicksAreOneTwoFiveMultiples() {
        #expect(AxisTicks.linear(lower: 0, upper: 1, maxCount: 6).map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(AxisTicks.linear(lower: -0.12, upper: 2.41, maxCount: 4).map(\.label) == ["0", "1", "2"])
        #expect(AxisTicks.linear(lower: 0, upper: 3, maxCount: 20, minimumStep: 1).map(\.value) == [0, 1, 2, 3])
    }

    @Test func logTicksArePowersOfTenOrOneTwoFiveWhenNarrow() {
        #expect(AxisTicks.log10(lower: 1e-4, upper: 2, maxCount: 6).map(\.label) == ["1e-4", "0.001", "0.01", "0.1", "1"])
        // Too many decades for 3 ticks: every second one.
        #expect(AxisTicks.log10(lower: 1e-4, upper: 2, maxCount: 3).map(\.label) == ["1e-4", "0.01", "1"])
        // Less than two decades: 1-2-5.
        #expect(AxisTicks.log10(lower: 0.3, upper: 3, maxCount: 6).map(\.label) == ["0.5", "1", "2"])
    }
}
