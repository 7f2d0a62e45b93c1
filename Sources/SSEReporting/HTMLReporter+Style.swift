/// The report's stylesheet, inline: system fonts only, colours that also print, every outcome with its word.
extension HTMLReporter {
    static let style = """
        :root { --fail: #c62828; --error: #8e24aa; --warn: #b26a00; --pass: #2e7d32; --info: #1565c0; --skip: #757575; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
        header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
        header { padding-top: 16px; }
        h1 { font-size: 22px; margin: 0 0 8px; }
        h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 2px solid #ddd; }
        h3 { font-size: 16px; margin: 18px 0 6px; }
        h4 { font-size: 14px; margin: 0 0 4px; font-weight: 600; }
        code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f1f1f1; padding: 6px 8px; margin: 2px 0; max-height: 420px; overflow: auto; }
        a { color: #0b57d0; }
        dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 8px; }
        dl.meta dt { font-weight: 600; }
        dl.meta dd { margin: 0; overflow-wrap: anywhere; }
        .summary .count, .counts .count { display: inline-block; padding: 1px 8px; border-radius: 10px; margin-right: 4px; color: #fff; font-weight: 600; }
        .counts .count { font-size: 12px; font-weight: 500; }
        .count.zero { background: #fff; color: #666; border: 1px solid #ccc; }
        .count.s-fail { background: var(--fail); } .count.s-error { background: var(--error); } .count.s-warn { background: var(--warn); }
        .count.s-pass { background: var(--pass); } .count.s-info { background: var(--info); } .count.s-skip { background: var(--skip); }
        nav { margin: 6px 0 10px; }
        .check { background: #fff; border: 1px solid #e0e0e0; border-left: 6px solid var(--skip); border-radius: 4px; padding: 4px 12px; margin: 4px 0; }
        .check > summary { font-weight: 600; padding: 2px 0; }
        .check[open] > summary { margin-bottom: 2px; }
        .check.s-fail { border-left-color: var(--fail); } .check.s-error { border-left-color: var(--error); }
        .check.s-warn { border-left-color: var(--warn); } .check.s-pass { border-left-color: var(--pass); }
        .check.s-info { border-left-color: var(--info); }
        .badge { display: inline-block; min-width: 46px; text-align: center; color: #fff; border-radius: 3px; padding: 0 4px; font-size: 12px; letter-spacing: .04em; }
        .badge.s-fail { background: var(--fail); } .badge.s-error { background: var(--error); } .badge.s-warn { background: var(--warn); }
        .badge.s-pass { background: var(--pass); } .badge.s-info { background: var(--info); } .badge.s-skip { background: var(--skip); }
        .level { font-size: 11px; border: 1px solid #999; border-radius: 3px; padding: 0 3px; color: #444; }
        .what { font-weight: 400; color: #333; }
        .check dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 4px 0 0; }
        .check dt { color: #555; } .check dd { margin: 0; overflow-wrap: anywhere; }
        .check.s-pass dl, .check.s-skip dl, .check.s-info dl { font-size: 13px; }
        q { font-style: italic; }
        .legend-box { background: #fff; border: 1px solid #e0e0e0; padding: 6px 12px; }
        .key { padding: 0 4px; }
        .probe > h3 { border-bottom: 1px solid #e0e0e0; }
        .connection { background: #fff; border: 1px solid #e0e0e0; border-radius: 4px; padding: 8px 12px; margin: 10px 0; }
        .connection .when, .connection .tag { font-weight: 400; color: #666; font-size: 12px; }
        .connection .tag { border: 1px solid #999; border-radius: 3px; padding: 0 3px; }
        .connection .line { margin: 2px 0 4px; overflow-wrap: anywhere; }
        figure.figure { margin: 0; }
        svg.timeline { width: 100%; height: auto; display: block; background: #fcfcfc; border: 1px solid #eee; font-family: system-ui, sans-serif; }
        svg.timeline text { font-size: 11px; fill: #333; }
        svg.timeline text.lane { fill: #777; }
        svg.timeline text.tick { fill: #666; font-size: 10px; }
        svg.timeline .axis, svg.timeline line.tick { stroke: #888; stroke-width: 1; }
        svg.timeline .connect { stroke: #444; stroke-width: 1; stroke-dasharray: 3 2; }
        svg.timeline .wait { fill: url(#hatch); stroke: #888; }
        svg.timeline .head-wait { fill: #bbb; }
        svg.timeline line.head { stroke: #1565c0; stroke-width: 3; }
        svg.timeline .chunk { fill: #90a4ae; fill-opacity: .75; stroke: #455a64; stroke-width: .6; }
        svg.timeline .ev-bin { fill: #5c6bc0; }
        svg.timeline .comment { fill: #fff; stroke: #555; stroke-width: 1.2; }
        svg.timeline text.retry { fill: #6a1b9a; font-weight: 700; }
        svg.timeline .end { stroke-width: 3; } svg.timeline .end-clean { stroke: var(--pass); }
        svg.timeline .end-open { stroke: #1565c0; stroke-dasharray: 4 2; } svg.timeline .end-aborted { stroke: #555; }
        svg.timeline .end-reset, svg.timeline .end-cut, svg.timeline .end-broken, svg.timeline .end-failed, svg.timeline .end-idle { stroke: var(--fail); }
        svg.timeline text.end-label { font-weight: 600; stroke: none; }
        svg.timeline text.end-clean { fill: var(--pass); } svg.timeline text.end-open { fill: #1565c0; }
        svg.timeline text.end-reset, svg.timeline text.end-cut, svg.timeline text.end-broken, svg.timeline text.end-failed, svg.timeline text.end-idle { fill: var(--fail); }
        .band { fill-opacity: .22; } .band-label { font-weight: 600; }
        .band-burst, .key.band-burst { fill: #ff9800; background: #ffe0b2; } text.band-label-burst { fill: #e65100; }
        .band-pending, .key.band-pending { fill: #e53935; background: #ffcdd2; } text.band-label-pending { fill: #b71c1c; }
        .band-slow-reconnection, .key.band-slow-reconnection { fill: #8e24aa; background: #e1bee7; } text.band-label-slow-reconnection { fill: #6a1b9a; }
        .band-head-held, .key.band-head-held { fill: #1e88e5; background: #bbdefb; } text.band-label-head-held { fill: #0d47a1; }
        .band-no-response, .band-not-stream { fill: #757575; } .band-dropped { fill: #9e9e9e; }
        .ev { stroke: #222; stroke-width: .6; }
        .t0 { fill: #1e88e5; color: #1e88e5; } .t1 { fill: #43a047; color: #43a047; } .t2 { fill: #fb8c00; color: #fb8c00; }
        .t3 { fill: #8e24aa; color: #8e24aa; } .t4 { fill: #fff; color: #00897b; stroke: #00897b !important; stroke-width: 1.6 !important; }
        .t5 { fill: #fff; color: #d81b60; stroke: #d81b60 !important; stroke-width: 1.6 !important; }
        .t6 { fill: #fff; color: #6d4c41; stroke: #6d4c41 !important; stroke-width: 1.6 !important; }
        .t7 { fill: #fff; color: #3949ab; stroke: #3949ab !important; stroke-width: 1.6 !important; }
        figcaption.types { font-size: 12.5px; color: #444; margin: 2px 0; }
        span.type { font-size: 14px; }
        .facts { margin: 4px 0; color: #333; font-size: 13px; }
        .summarised { margin: 2px 0; font-size: 12.5px; color: #6d4c41; }
        ul.findings { margin: 4px 0; padding-left: 20px; }
        .finding { margin: 1px 0; }
        .f-burst::marker, .f-pending::marker, .f-slow-reconnection::marker, .f-head-held::marker,
        .f-no-response::marker, .f-not-stream::marker { content: "⚠ "; color: #b26a00; }
        details { margin: 3px 0; } summary { cursor: pointer; color: #333; }
        table.events { border-collapse: collapse; font-size: 12.5px; width: 100%; }
        table.events th, table.events td { border: 1px solid #e0e0e0; padding: 1px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
        table.events tr.gap td { text-align: center; color: #777; }
        footer { color: #777; font-size: 12px; padding-top: 20px; padding-bottom: 20px; }
        svg.timeline text.stack { font-size: 10px; font-weight: 700; fill: #222; }
        @media print { pre { max-height: none; } }

        """
}
