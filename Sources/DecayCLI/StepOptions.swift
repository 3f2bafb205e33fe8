import ArgumentParser
import DecayEngine
import DecayLessons
import Foundation

/// Options shared by `run` and `export`: which step, how long, and the
/// learner's settings (λ, lr, dropout, seed) — each bounded as a lesson file
/// bounds it, and refused for a step where no run follows it.
struct StepOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The lesson and step, as ID:STEP (or a lesson number: 2:1).", valueName: "LESSON[:STEP]"))
    var reference: String

    @Option(parsing: .unconditional, help: ArgumentHelp("Steps to train, 1…100000 (default: the step's own).", valueName: "N"),
            transform: { try CommandLineNumber.whole($0, "--steps", SettingBounds.steps) })
    var steps: Int?

    @Option(name: .customLong("lambda"), parsing: .unconditional,
            help: ArgumentHelp("λ, 0…1e4, for the runs that follow the λ control.", valueName: "λ"),
            transform: { try CommandLineNumber.control($0, "--lambda", .lambda) })
    var lambda: Float?

    @Option(name: .customLong("lr"), parsing: .unconditional,
            help: ArgumentHelp("Learning rate, above 0 and at most 10, for the runs that follow it.", valueName: "LR"),
            transform: { try CommandLineNumber.control($0, "--lr", .learningRate) })
    var learningRate: Float?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Dropout p, 0 up to (not including) 1, for the runs that follow it.", valueName: "P"),
            transform: { try CommandLineNumber.control($0, "--dropout", .dropout) })
    var dropout: Float?

    @Option(name: .customLong("lora-dropout"), parsing: .unconditional,
            help: ArgumentHelp("lora_dropout, 0 up to (not including) 1, for the runs with a LoRA adapter that follow it.", valueName: "P"),
            transform: { try CommandLineNumber.control($0, "--lora-dropout", .loraDropout) })
    var loraDropout: Float?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Seed for data, initial weights, batches and dropout, 0…2^53 (default: the lesson's).", valueName: "N"),
            transform: { try CommandLineNumber.whole($0, "--seed", SettingBounds.seed) })
    var seed: Int?

    /// The settings a goal's verdict names: each control the step offers,
    /// at the command line's value or the step's own (`λ = 3, p = 0.2`).
    func settingsText(for step: Step) -> String {
        let spec = step.spec(applying: settings)
        var parts = step.controls.compactMap(\.engineControl).map { c -> String in
            let v = spec[keyPath: c.specField]
            let name = switch c {
            case .lambda: "λ"
            case .learningRate: "lr"
            case .dropout: "p"
            case .loraDropout: "lora_dropout"
            }
            return "\(name) = \(String(format: "%g", Double(v)))"
        }
        if step.controls.contains(.groups) {
            let on = spec.model.parameterGroups.filter { spec.groups[$0] ?? true }
            parts.append("decay on " + (on.isEmpty ? "no group" : on.map(\.rawValue).joined(separator: ", ")))
        }
        return parts.isEmpty ? "the step's settings" : parts.joined(separator: ", ")
    }

    @Option(parsing: .unconditional,
            help: ArgumentHelp("The groups to decay, comma-separated (weights, biases, norms, embeddings, or none), for the runs that follow the group switches; the others are not decayed.",
                               valueName: "LIST"),
            transform: { try Self.groupList($0) })
    var groups: Set<ParameterGroup>?

    var settings: StepSettings {
        StepSettings(lambda: lambda, learningRate: learningRate, dropout: dropout, loraDropout: loraDropout,
                     seed: seed.map(UInt64.init), decayedGroups: groups)
    }

    static func groupList(_ text: String) throws -> Set<ParameterGroup> {
        let words = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if words == ["none"] { return [] }
        var out: Set<ParameterGroup> = []
        for w in words {
            guard let g = ParameterGroup(rawValue: w) else {
                let names = ParameterGroup.allCases.map(\.rawValue).joined(separator: ", ")
                throw BadNumber(description: "--groups takes group names from \(names), or none (got \"\(w)\")")
            }
            out.insert(g)
        }
        return out
    }

    func validate() throws {
        if let problem = settings.rangeProblems.first { throw ValidationError(problem) }
    }

    struct BadNumber: Error, CustomStringConvertible {
        var description: String
    }

    /// The step the reference names, after checking every given setting is
    /// followed by some run of it (else a usage error naming where it is).
    func step(in library: LessonLibrary) throws -> Step {
        let step: Step
        let lessonID: String
        let number: Int
        do {
            let (lesson, n) = try library.resolve(reference)
            step = lesson.steps[n ?? 0]
            lessonID = lesson.id
            number = (n ?? 0) + 1
        } catch {
            throw CommandFailure(message: "\(error)", status: ExitStatus.usage)
        }
        for control in Control.allCases where settings.values[control] != nil && !step.isFollowed(control) {
            throw CommandFailure(message: Self.notFollowed("--" + control.lessonKey.replacingOccurrences(of: "_", with: "-"), control,
                                                           at: "\(lessonID):\(number)", in: library),
                                 status: ExitStatus.usage)
        }
        if let groups {
            guard step.followsGroups else {
                throw CommandFailure(message: "--groups would change nothing in \(lessonID):\(number): the step offers no group switches, "
                                     + "or every run sets its own groups in the lesson file", status: ExitStatus.usage)
            }
            let missing = groups.subtracting(step.spec.model.parameterGroups)
            if let g = missing.sorted().first {
                throw CommandFailure(message: "--groups: the model of \(lessonID):\(number) has no \(g.rawValue); it has "
                                     + step.spec.model.parameterGroups.map(\.rawValue).joined(separator: ", "), status: ExitStatus.usage)
            }
        }
        return step
    }

    static func notFollowed(_ option: String, _ control: Control, at reference: String, in library: LessonLibrary) -> String {
        let why = switch control {
        case .dropout: "its model has no dropout, or every run sets its own p in the lesson file"
        case .loraDropout: "no run of it has a LoRA adapter, or every such run sets its own lora_dropout in the lesson file"
        case .lambda: "every run of it sets its own λ (or trains without decay) in the lesson file"
        case .learningRate: "every run of it sets its own lr in the lesson file"
        }
        var places: [String] = []
        for lesson in library.lessons {
            for (i, s) in lesson.steps.enumerated() where s.isFollowed(control) { places.append("\(lesson.id):\(i + 1)") }
        }
        let shown = places.prefix(12).joined(separator: ", ") + (places.count > 12 ? ", …" : "")
        let applies = places.isEmpty ? "no step of these lessons takes it" : "it applies to \(shown)"
        return "\(option) would change nothing in \(reference): \(why); \(applies)"
    }
}
