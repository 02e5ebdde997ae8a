using System.Net;
using System.Text;

namespace CoDesign.Reports;

/// <summary>
/// A self-contained HTML report: inline CSS, SVG and script, nothing from the network, so it opens offline
/// and can be mailed as one file. Plot points show their values on hover and can be filtered. Figures are &lt;figure data-figure="KIND"&gt; elements with an id, so tests and
/// readers can find each one.
/// </summary>
public sealed class HtmlReport(string title)
{
    readonly StringBuilder _body = new();
    readonly List<(string Id, string Text)> _toc = [];

    public HtmlReport Heading(string id, string text)
    {
        _toc.Add((id, text));
        _body.Append($"<h2 id=\"{Enc(id)}\">{Enc(text)}</h2>\n");
        return this;
    }

    public HtmlReport Paragraph(string text)
    {
        _body.Append($"<p>{Enc(text)}</p>\n");
        return this;
    }

    /// <param name="svg">Inline SVG markup (from <see cref="Plots.Svg.Render"/>).</param>
    public HtmlReport Figure(string id, string kind, string svg, string caption)
    {
        // Plots with hover points (Plots.HoverPoints) get a filter over them.
        string filter = svg.Contains("class=\"pt\"", StringComparison.Ordinal)
            ? "<input type=\"search\" class=\"filter\" data-filter-points placeholder=\"filter points (series, operator, value)\"> <span class=\"readout\"></span>\n" : "";
        _body.Append($"<figure id=\"{Enc(id)}\" data-figure=\"{Enc(kind)}\">\n{filter}{svg}\n<figcaption>{Enc(caption)}</figcaption>\n</figure>\n");
        return this;
    }

    public HtmlReport Table(string id, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        _body.Append($"<input type=\"search\" class=\"filter\" data-filter-for=\"{Enc(id)}\" placeholder=\"filter rows\">\n");
        _body.Append($"<div class=\"scroll\"><table id=\"{Enc(id)}\" class=\"sortable\">\n<thead><tr>");
        foreach (var h in header) _body.Append($"<th>{Enc(h)}</th>");
        _body.Append("</tr></thead>\n<tbody>\n");
        foreach (var r in rows)
        {
            _body.Append("<tr>");
            foreach (var c in r) _body.Append($"<td>{Enc(c)}</td>");
            _body.Append("</tr>\n");
        }
        _body.Append("</tbody></table></div>\n");
        return this;
    }

    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append($"<title>{Enc(title)}</title>\n<style>\n{Css}\n</style>\n</head>\n<body>\n<h1>{Enc(title)}</h1>\n<nav><ul>\n");
        foreach (var (id, text) in _toc) sb.Append($"<li><a href=\"#{Enc(id)}\">{Enc(text)}</a></li>\n");
        sb.Append("</ul></nav>\n").Append(_body).Append($"<script>\n{Check}\n{Interact}\n</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    static string Enc(string s) => WebUtility.HtmlEncode(s);

    /// <summary>
    /// Marks the page with the number of figures whose plot rendered with a size, and reports any that did not on
    /// the console, so a headless browser can check the report without a screenshot.
    /// </summary>
    const string Check = """
        (function () {
          var figs = Array.prototype.slice.call(document.querySelectorAll('figure[data-figure]'));
          var bad = figs.filter(function (f) { var s = f.querySelector('svg'); return !s || s.getBoundingClientRect().height <= 0; });
          document.body.setAttribute('data-figures-rendered', String(figs.length - bad.length));
          if (bad.length) console.error('figures without a rendered plot: ' + bad.map(function (f) { return f.id; }).join(', '));
        })();
        """;

    /// <summary>
    /// Sortable, filterable tables without a network: click a heading to sort (numbers as numbers), type to filter.
    /// <c>?sort=COLUMN&amp;desc=1&amp;filter=TEXT</c> in the page's address does the same on load, so a view can be linked
    /// and a headless browser can check it. Tables say their state in data-sorted and data-visible-rows.
    /// </summary>
    const string Interact = """
        (function () {
          function rows(t) { return Array.prototype.slice.call(t.tBodies[0].rows); }
          function key(r, col) { var s = r.cells[col] ? r.cells[col].textContent : ''; var n = parseFloat(s); return { s: s, n: n, num: s !== '' && !isNaN(n) && isFinite(s) }; }
          function sortTable(t, col, desc) {
            var rs = rows(t);
            rs.sort(function (a, b) {
              var x = key(a, col), y = key(b, col);
              var c = x.num && y.num ? x.n - y.n : x.num !== y.num ? (x.num ? -1 : 1) : x.s.localeCompare(y.s);
              return desc ? -c : c;
            });
            rs.forEach(function (r) { t.tBodies[0].appendChild(r); });
            t.setAttribute('data-sorted', col + (desc ? ' desc' : ' asc'));
          }
          function filterTable(t, text) {
            text = text.toLowerCase();
            var shown = 0;
            rows(t).forEach(function (r) { var ok = r.textContent.toLowerCase().indexOf(text) >= 0; r.style.display = ok ? '' : 'none'; if (ok) shown++; });
            t.setAttribute('data-visible-rows', String(shown));
          }
          Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (t) {
            Array.prototype.forEach.call(t.tHead.rows[0].cells, function (th, col) {
              th.style.cursor = 'pointer';
              th.title = 'sort by ' + th.textContent;
              th.addEventListener('click', function () { sortTable(t, col, t.getAttribute('data-sorted') === col + ' asc'); });
            });
            t.setAttribute('data-visible-rows', String(rows(t).length));
          });
          Array.prototype.forEach.call(document.querySelectorAll('input[data-filter-for]'), function (input) {
            var t = document.getElementById(input.getAttribute('data-filter-for'));
            if (t) input.addEventListener('input', function () { filterTable(t, input.value); });
          });
          var q = new URLSearchParams(location.search);
          var tables = document.querySelectorAll('table.sortable'), last = tables[tables.length - 1];
          if (last && q.get('sort') !== null) sortTable(last, parseInt(q.get('sort'), 10), q.get('desc') === '1');
          if (last && q.get('filter') !== null) { filterTable(last, q.get('filter')); var i = document.querySelector('input[data-filter-for="' + last.id + '"]'); if (i) i.value = q.get('filter'); }

          // Plots: the hovered point's text in the figure's readout (its <title> is the tooltip); the filter dims the
          // points that do not match and rings those that do. ?points=TEXT filters every plot on load.
          function filterPoints(fig, text) {
            text = text.toLowerCase();
            var shown = 0;
            Array.prototype.forEach.call(fig.querySelectorAll('.pt'), function (p) {
              var ok = text === '' || p.getAttribute('data-label').toLowerCase().indexOf(text) >= 0;
              p.classList.toggle('dim', !ok);
              p.classList.toggle('match', ok && text !== '');
              if (ok) shown++;
            });
            fig.setAttribute('data-visible-points', String(shown));
          }
          Array.prototype.forEach.call(document.querySelectorAll('figure[data-figure]'), function (fig) {
            var input = fig.querySelector('input[data-filter-points]');
            if (!input) return;
            var readout = fig.querySelector('.readout');
            Array.prototype.forEach.call(fig.querySelectorAll('.pt'), function (p) {
              p.addEventListener('mouseenter', function () { readout.textContent = p.getAttribute('data-label'); });
              p.addEventListener('mouseleave', function () { readout.textContent = ''; });
            });
            input.addEventListener('input', function () { filterPoints(fig, input.value); });
            if (q.get('points') !== null) input.value = q.get('points');
            filterPoints(fig, input.value);
          });
        })();
        """;

    const string Css = """
        body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; }
        figure { margin: 1.5em 0; padding: 0.5em; border: 1px solid #ddd; border-radius: 4px; }
        figcaption { font-size: 0.85em; color: #555; margin-top: 0.3em; }
        table { border-collapse: collapse; font-size: 0.8em; }
        th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: right; white-space: nowrap; }
        th { background: #f4f4f4; position: sticky; top: 0; }
        .scroll { max-height: 32em; overflow: auto; }
        nav ul { columns: 2; font-size: 0.9em; }
        input.filter { margin: 0.3em 0; padding: 2px 6px; width: 20em; }
        .readout { font-size: 0.85em; color: #333; }
        .pt { fill: transparent; stroke: none; pointer-events: all; cursor: crosshair; }
        .pt:hover { stroke: #000; stroke-width: 2; }
        .pt.match { stroke: #d00; stroke-width: 2.5; }
        .pt.dim { fill: rgba(255, 255, 255, 0.85); }
        """;
}
