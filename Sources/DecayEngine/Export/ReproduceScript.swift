/// The PyTorch script `decay-tutor export` writes beside `experiment.json`.
/// Its source is `reproduce.py` in this folder, embedded at build time, so
/// the file on disk and the one in the binary cannot drift apart.
public enum ReproduceScript {
    public static var source: String { String(decoding: PackageResources.reproduce_py, as: UTF8.self) }
}
