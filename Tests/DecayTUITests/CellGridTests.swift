import Testing
@testable import DecayTUI
