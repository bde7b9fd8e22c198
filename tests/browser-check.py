#!/usr/bin/env python3
"""browser-check.py: check the DOM of `secport report` pages as Chromium
rendered them (chromium --headless --dump-dom), against `secport matrix
--format csv`.  Used by tests/e2e/t5100-report.sh.

  browser-check.py matrix DOM CSV        every cell of index.html's #matrix
                                         has the letter and class of the CSV
  browser-check.py advisory DOM CSV ID   every cell of an advisory page's
                                         #releases table, same
  browser-check.py cell DOM ID TAG       print the #matrix cell of ID in TAG
  browser-check.py text DOM ELEMENT-ID   print the text of an element
  browser-check.py noscript DOM          only the <script> check below
  browser-check.py links DIR             every relative link of every page
                                         of the site names an existing file

Every DOM mode also fails if the page holds a <script> element.  Exit 0 when
the check holds, 1 (with the differences on stderr) when not.
"""
import csv
import html.parser
import os
import sys
import urllib.parse

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text()
                       for c in self.children)

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()

    def find(self, tag):
        return [n for n in self.walk() if n.tag == tag]

    def by_id(self, ident):
        for n in self.walk():
            if n.attrs.get("id") == ident:
                return n
        return None


class Builder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(path):
    b = Builder()
    with open(path, encoding="utf-8") as f:
        b.feed(f.read())
    b.close()
    return b.root


def load_csv(path):
    """{(advisory, release): expected cell letter}, as secport matrix."""
    want = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            s = row["state"]
            if s == "vulnerable":
                code = "v" if row["introducer_unknown"] == "1" else "V"
            elif s == "fixed":
                code = "B" if row["via_backport"] == "1" else "F"
            else:
                code = "n"
            want[(row["advisory"], row["release"])] = code
    return want


def shown(code):
    return "\u00b7" if code == "n" else code


def no_scripts(doc, errors):
    if doc.find("script"):
        errors.append("the page holds %d <script> elements"
                      % len(doc.find("script")))


def matrix_cells(doc):
    """{(advisory, release): (text, classes)} of index.html's #matrix."""
    table = doc.by_id("matrix")
    if table is None:
        raise SystemExit("no #matrix in the page")
    head = [n for n in table.find("tr") if n.parent.tag == "thead"]
    cols = [th.attrs["id"][2:] for th in head[-1].find("th")
            if th.attrs.get("id", "").startswith("r-")]
    cells = {}
    for tr in table.find("tr"):
        rid = tr.attrs.get("id", "")
        if not rid.startswith("a-"):
            continue
        tds = [n for n in tr.children if isinstance(n, Node) and n.tag == "td"]
        if len(tds) != len(cols):
            raise SystemExit("row %s has %d cells for %d releases"
                             % (rid, len(tds), len(cols)))
        for tag, td in zip(cols, tds):
            cells[(rid[2:], tag)] = (td.text().strip(),
                                     td.attrs.get("class", "").split())
    return cells


def compare(cells, want, errors, only=None):
    keys = [k for k in want if only is None or k[0] == only]
    for k in keys:
        if k not in cells:
            errors.append("%s in %s: no cell" % k)
            continue
        text, classes = cells[k]
        if text != shown(want[k]) or want[k] not in classes:
            errors.append("%s in %s: shows %r (class %s), wanted %r"
                          % (k[0], k[1], text, " ".join(classes),
                             shown(want[k])))
    extra = set(cells) - set(keys)
    if extra:
        errors.append("cells not in the CSV: %s" % sorted(extra)[:5])
    return len(keys)


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    mode, errors = argv[1], []
    if mode == "links":
        n = 0
        for d, _, files in os.walk(argv[2]):
            for f in files:
                if not f.endswith(".html"):
                    continue
                doc = parse(os.path.join(d, f))
                for a in doc.find("a") + doc.find("link"):
                    href = a.attrs.get("href", "")
                    if not href or "://" in href or href.startswith("#"):
                        continue
                    n += 1
                    target = os.path.join(d, urllib.parse.unquote(href))
                    if not os.path.isfile(target):
                        errors.append("%s: broken link %s" % (f, href))
        print("%d relative links" % n)
    else:
        doc = parse(argv[2])
        no_scripts(doc, errors)
        if mode == "matrix":
            n = compare(matrix_cells(doc), load_csv(argv[3]), errors)
            print("%d cells" % n)
        elif mode == "advisory":
            table = doc.by_id("releases")
            if table is None:
                raise SystemExit("no #releases in the page")
            cells = {}
            for td in table.find("td"):
                if td.attrs.get("id", "").startswith("r-"):
                    b = td.find("b")
                    cells[(argv[4], td.attrs["id"][2:])] = (
                        b[0].text().strip() if b else "",
                        td.attrs.get("class", "").split())
            n = compare(cells, load_csv(argv[3]), errors, only=argv[4])
            print("%d cells" % n)
        elif mode == "cell":
            cell = matrix_cells(doc).get((argv[3], argv[4]))
            if cell is None:
                raise SystemExit("no cell for %s in %s" % (argv[3], argv[4]))
            print(cell[0])
        elif mode == "noscript":
            pass
        elif mode == "text":
            n = doc.by_id(argv[3])
            if n is None:
                raise SystemExit("no #%s in the page" % argv[3])
            print(n.text())
        else:
            sys.exit(__doc__)
    for e in errors:
        print("error: " + e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
