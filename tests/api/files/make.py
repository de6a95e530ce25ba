"""Makes the smallest real files of each accepted upload type (tests/api/uploads.c):
python3 tests/api/files/make.py writes them beside this script. Each is what a reader of its
format accepts: a 1x1 PNG and an 8x8 JPEG that decode, a DOCX and an ODT with the parts their
applications look for, a compound file (.doc) with its WordDocument stream, and a PDF."""
import io, os, struct, zipfile, zlib

here = os.path.dirname(os.path.abspath(__file__))


def put(name, data):
    with open(os.path.join(here, name), 'wb') as f:
        f.write(data)


def png():
    def chunk(kind, body):
        return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body) & 0xffffffff)
    ihdr = struct.pack('>IIBBBBB', 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit grey
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(b'\x00\x80')) + chunk(b'IEND', b'')


def jpeg():
    # Baseline, 8x8, one grey component; Huffman tables holding the one code each needs (DC
    # difference 0, end of block), so the block is mid-grey.
    def seg(marker, body):
        return b'\xff' + bytes([marker]) + struct.pack('>H', len(body) + 2) + body
    dqt = b'\x00' + bytes([1] * 64)
    sof = struct.pack('>BHHB', 8, 8, 8, 1) + b'\x01\x11\x00'
    one = bytes([1] + [0] * 15)
    dht = b'\x00' + one + b'\x00' + b'\x10' + one + b'\x00'
    sos = b'\x01\x01\x00\x00\x3f\x00'
    return (b'\xff\xd8' + seg(0xe0, b'JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00') + seg(0xdb, dqt) + seg(0xc0, sof) +
            seg(0xc4, dht) + seg(0xda, sos) + b'\x3f' + b'\xff\xd9')


def docx():
    b = io.BytesIO()
    with zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml',
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr('_rels/.rels',
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr('word/document.xml',
                   '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                   '<w:body><w:p><w:r><w:t>Procesverbal</w:t></w:r></w:p></w:body></w:document>')
    return b.getvalue()


def odt():
    b = io.BytesIO()
    with zipfile.ZipFile(b, 'w') as z:
        z.writestr(zipfile.ZipInfo('mimetype'), 'application/vnd.oasis.opendocument.text', zipfile.ZIP_STORED)
        z.writestr('META-INF/manifest.xml',
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                   '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>', zipfile.ZIP_DEFLATED)
        z.writestr('content.xml',
                   '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
                   ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text>'
                   '<text:p>Procesverbal</text:p></office:text></office:body></office:document-content>', zipfile.ZIP_DEFLATED)
    return b.getvalue()


def doc():
    # A compound file (MS-CFB version 3): header, one FAT sector, one directory sector, and a
    # 4096-byte WordDocument stream in eight sectors.
    free, end, fat_sect, nostream = 0xffffffff, 0xfffffffe, 0xfffffffd, 0xffffffff
    head = (b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + bytes(16) + struct.pack('<HHHHH', 0x3e, 3, 0xfffe, 9, 6) + bytes(6) +
            struct.pack('<IIIIIIIII', 0, 1, 1, 0, 4096, end, 0, end, 0) + struct.pack('<I', 0) + struct.pack('<I', free) * 108)
    fat = [fat_sect, end] + [3, 4, 5, 6, 7, 8, 9, end]
    fat = struct.pack('<128I', *(fat + [free] * (128 - len(fat))))

    def entry(name, kind, child, start, size):
        n = (name + '\0').encode('utf-16-le') if name else b''
        return (n.ljust(64, b'\0') + struct.pack('<HBB', len(n), kind, 1) + struct.pack('<III', nostream, nostream, child) +
                bytes(16) + bytes(4) + bytes(16) + struct.pack('<IQ', start, size))
    dirs = entry('Root Entry', 5, 1, end, 0) + entry('WordDocument', 2, nostream, 2, 4096) + bytes(128) * 2
    return head + fat + dirs + b'\xec\xa5' + bytes(4094)


def pdf():
    body = b'%PDF-1.4\n'
    objs = [b'<< /Type /Catalog /Pages 2 0 R >>', b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
            b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>']
    offs = []
    for i, o in enumerate(objs):
        offs.append(len(body))
        body += b'%d 0 obj\n' % (i + 1) + o + b'\nendobj\n'
    xref = len(body)
    body += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1) + b''.join(b'%010d 00000 n \n' % o for o in offs)
    body += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objs) + 1, xref)
    return body


put('minimal.png', png())
put('minimal.jpg', jpeg())
put('minimal.docx', docx())
put('minimal.odt', odt())
put('minimal.doc', doc())
put('minimal.pdf', pdf())
