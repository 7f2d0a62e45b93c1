import Foundation
import SSETestSupport
import Testing

extension GalleryTests.AdapterTests {
    static let python = RepositoryFiles.url(".venv/bin/python").path
    static let pythonAdapter = adapters.appendingPathComponent("python")

    /// One of the Python adapter's example apps (`examples/NAME.py`), mounting the scenarios at `prefix`, with the
    /// package imported from `packagePath` (its source tree by default); fails, naming what is missing, when the
    /// venv is not there.
    static func pythonApp(
        _ name: String,
        prefix: String,
        packagePath: String = pythonAdapter.appendingPathComponent("src").path
    ) async throws -> ServerProcess {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Missing(
                description:
                    "\(python) is missing: run scripts/bootstrap (or scripts/python-peers) to install sse-starlette, uvicorn, FastAPI, aiohttp and aiohttp-sse into .venv/"
            )
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = packagePath
        environment["PREFIX"] = prefix
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        environment.removeValue(forKey: "SSE_CONFORMANCE_MANIFEST")
        let examples = pythonAdapter.appendingPathComponent("examples")
        return try await ServerProcess.start(
            name: "python adapter \(name)",
            [python, examples.appendingPathComponent("\(name).py").path],
            directory: examples,
            environment: environment
        )
    }

    /// The manifest the app says it serves (its line after the port announcement).
    static func servedManifest(_ app: ServerProcess) async -> String? {
        for _ in 0..<100 {
            if let line = app.outputLines.first(where: { $0.hasPrefix("manifest: ") }) {
                return String(line.dropFirst("manifest: ".count))
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    @Test(
        "The Starlette router (sse-starlette on uvicorn), mounted at /sse-conformance, passes the suite in scenario mode"
    )
    func starlette() async throws {
        let app = try await Self.pythonApp("starlette_app", prefix: "/sse-conformance")
        defer { app.stop() }
        #expect(await Self.servedManifest(app) == RepositoryFiles.url("fixtures/scenarios/manifest.json").path)
        await Self.expectPasses(base: app.url("/sse-conformance/"), name: "starlette (uvicorn)")
    }

    @Test("The aiohttp app factory (aiohttp-sse), added at /sse-conformance/, passes the suite in scenario mode")
    func aiohttp() async throws {
        let app = try await Self.pythonApp("aiohttp_app", prefix: "/sse-conformance")
        defer { app.stop() }
        await Self.expectPasses(base: app.url("/sse-conformance/"), name: "aiohttp")
    }

    /// `pip install` of the adapter's directory (offline: the venv's setuptools and wheel, no index) into a
    /// `--target` folder, from a copy of the repository's layout so the test leaves no build output in the tree;
    /// then FastAPI on uvicorn serves the scenarios from the installed package alone.
    @Test("pip install of the Python adapter carries the manifest; FastAPI on it passes the suite in scenario mode")
    func installedFastAPI() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("py-adapter-\(UUID())")
        defer { try? FileManager.default.removeItem(at: work) }
        let copy = work.appendingPathComponent("scenarios/adapters/python")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for item in ["pyproject.toml", "setup.py", "README.md", "src"] {
            try FileManager.default.copyItem(
                at: Self.pythonAdapter.appendingPathComponent(item),
                to: copy.appendingPathComponent(item)
            )
        }
        let manifest = RepositoryFiles.url("fixtures/scenarios/manifest.json")
        try FileManager.default.copyItem(at: manifest, to: work.appendingPathComponent("scenarios/manifest.json"))
        let site = work.appendingPathComponent("site")
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw Missing(description: "\(Self.python) is missing: run scripts/bootstrap (or scripts/python-peers)")
        }
        let pip = try ChildProcess(
            [
                Self.python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-build-isolation",
                "--no-deps", "--no-index", "--target", site.path, copy.path,
            ],
            directory: work.path
        )
        let status = try await pip.finished(timeout: 240)
        #expect(status == 0, "pip install failed (\(status)):\n\(pip.stderr.suffix(3000))")
        guard status == 0 else { return }

        let installed = site.appendingPathComponent("sse_conformance_scenarios/manifest.json")
        #expect(
            FileManager.default.contents(atPath: installed.path) == FileManager.default.contents(atPath: manifest.path),
            "the installed package's manifest.json differs from fixtures/scenarios/manifest.json"
        )
        let app = try await Self.pythonApp("fastapi_app", prefix: "/sse-conformance", packagePath: site.path)
        defer { app.stop() }
        #expect(
            await Self.servedManifest(app) == installed.resolvingSymlinksInPath().path,
            "the app did not read the installed package's manifest"
        )
        await Self.expectPasses(base: app.url("/sse-conformance/"), name: "fastapi (installed, uvicorn)")
    }
}
