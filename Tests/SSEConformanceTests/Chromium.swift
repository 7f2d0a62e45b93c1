import Foundation
import SSETestSupport

/// Headless Chromium (Debian's `chromium`, installed by scripts/bootstrap): a page's screenshot, measured, and
/// its rendered DOM. Missing: the test fails naming the package.
enum Chromium {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// What a screenshot holds: its size and how much of it is not the background (the most common colour).
    struct Screenshot {
        var path: String
        var width: Int
        var height: Int
        var nonBackground: Int
        var colours: Int

        var nonBackgroundFraction: Double { Double(nonBackground) / Double(max(1, width * height)) }
    }

    static var executable: String {
        get throws {
            let candidates = ["/usr/bin/chromium", "/usr/local/bin/chromium", "/usr/bin/chromium-browser"]
            guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
                throw Missing(description: "chromium not found: run scripts/bootstrap (apt package chromium)")
            }
            return path
        }
    }

    /// Where screenshots are kept after a test, to look at: `$TMPDIR/sse-html-screenshots/<name>.png`.
    static var screenshots: URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("sse-html-screenshots")
    }

    static func arguments(_ profile: URL) throws -> [String] {
        [
            try executable, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--disable-dev-shm-usage", "--user-data-dir=\(profile.path)",
        ]
    }

    /// Screenshots `file` (optionally at an anchor) in a window of `width`×`height` and measures the PNG.
    static func screenshot(
        _ file: URL,
        anchor: String? = nil,
        name: String,
        width: Int = 1280,
        height: Int = 2000
    )
        async throws -> Screenshot
    {
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        let png = screenshots.appendingPathComponent("\(name).png")
        try? FileManager.default.removeItem(at: png)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID())")
        defer { try? FileManager.default.removeItem(at: profile) }
        let url = file.absoluteString
        let process = try ChildProcess(
            try arguments(profile) + ["--screenshot=\(png.path)", "--window-size=\(width),\(height)", url]
        )
        let status = try await process.finished(timeout: 180)
        guard status == 0, FileManager.default.fileExists(atPath: png.path) else {
            throw Missing(description: "chromium --screenshot failed (\(status)): \(process.stderr.suffix(2000))")
        }
        return try await measure(png)
    }

    /// The DOM after Chromium parsed and rendered `file`.
    static func dom(_ file: URL) async throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID())")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = try ChildProcess(try arguments(profile) + ["--dump-dom", file.absoluteString])
        let status = try await process.finished(timeout: 180)
        guard status == 0, !process.stdout.isEmpty else {
            throw Missing(description: "chromium --dump-dom failed (\(status)): \(process.stderr.suffix(2000))")
        }
        return process.stdout
    }

    /// Decodes the PNG (8-bit RGB or RGBA, not interlaced, as Chromium writes it) with python3's zlib and counts
    /// the pixels that differ from the most common colour, and the distinct colours.
    static func measure(_ png: URL) async throws -> Screenshot {
        let process = try ChildProcess(["python3", "-c", decoder, png.path])
        let status = try await process.finished(timeout: 120)
        let fields = process.stdout.split(separator: " ").compactMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard status == 0, fields.count == 4 else {
            throw Missing(description: "could not decode \(png.path) with python3: \(process.stderr.suffix(1000))")
        }
        return Screenshot(
            path: png.path,
            width: fields[0],
            height: fields[1],
            nonBackground: fields[2],
            colours: fields[3]
        )
    }

    /// A PNG decoder: chunks, zlib, the five row filters. Prints `width height nonBackground colours`.
    static let decoder = #"""
        import sys, struct, zlib, collections
        data = open(sys.argv[1], 'rb').read()
        assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
        pos, idat = 8, b''
        while pos < len(data):
            length, kind = struct.unpack('>I4s', data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            if kind == b'IHDR':
                width, height, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', body)
            elif kind == b'IDAT':
                idat += body
            pos += 12 + length
        assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
        bpp = 3 if colour == 2 else 4
        raw = zlib.decompress(idat)
        stride = width * bpp
        previous = bytearray(stride)
        counts = collections.Counter()
        for y in range(height):
            start = y * (stride + 1)
            kind, row = raw[start], bytearray(raw[start + 1:start + 1 + stride])
            for i in range(stride):
                a = row[i - bpp] if i >= bpp else 0
                b = previous[i]
                c = previous[i - bpp] if i >= bpp else 0
                if kind == 1: row[i] = (row[i] + a) & 255
                elif kind == 2: row[i] = (row[i] + b) & 255
                elif kind == 3: row[i] = (row[i] + (a + b) // 2) & 255
                elif kind == 4:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            counts.update(bytes(row[i:i + 3]) for i in range(0, stride, bpp))
            previous = row
        background = counts.most_common(1)[0][1]
        print(width, height, width * height - background, len(counts))
        """#
}
