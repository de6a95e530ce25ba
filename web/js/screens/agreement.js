// One agreement: its details (a form for the county's secretariat, read-only for others) and
// the signed document, uploaded and downloaded as a file.
import { h } from '../dom.js';
import { t, pick, fmtDate, fmtDateTime, fmtBytes } from '../i18n.js';
import { get, post, patch, api, qs } from '../api.js';
import { loadCounties, countyName, agreementCounty, labelOf } from '../session.js';
import { pageHeader, breadcrumbs, section, facts, notice } from '../ui.js';
import { makeForm } from '../form.js';
import { validity } from './agreements.js';

const KINDS = ['prosecution_first', 'prosecution_appeal', 'ngo_nrm', 'ngo_other'];
const DOC_TYPES = {
  pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg',
  odt: 'application/vnd.oasis.opendocument.text', doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

function agreementForm(a, ctx, counties) {
  const editable = agreementCounty(ctx.user);
  const fields = [];
  if (!a) {
    if (editable === '*') {
      fields.push({ name: 'county', label: t('agreements.county'), type: 'select', required: true, value: ctx.query.get('county') || '', wide: true,
        options: [{ value: '', label: t('form.choose') }, ...counties.map((c) => ({ value: c.slug, label: pick(c) }))] });
    } else {
      fields.push(h('p', null, t('agreement.forCounty', { county: countyName(editable) })));
    }
  }
  fields.push(
    { name: 'title', label: t('agreement.title'), required: true, maxlength: 300, value: a?.title, wide: true },
    { name: 'counterpart_kind', label: t('agreement.kind'), type: 'radio', required: true, value: a?.counterpart_kind,
      options: KINDS.map((k) => ({ value: k, label: labelOf('counterpart', k) })) },
    { name: 'counterpart', label: t('agreement.counterpart'), required: true, maxlength: 300, value: a?.counterpart,
      hint: t('agreement.counterpartHint'), wide: true },
    { name: 'signed', label: t('agreement.signed'), type: 'date', required: true, value: a?.signed },
    { name: 'valid_from', label: t('agreement.validFrom'), type: 'date', value: a?.valid_from },
    { name: 'valid_until', label: t('agreement.validUntil'), type: 'date', value: a?.valid_until },
    { name: 'note', label: t('agreement.note'), type: 'textarea', maxlength: 2000, value: a?.note },
  );
  const form = makeForm({
    fields,
    className: 'form-wide',
    submitLabel: a ? t('common.save') : t('agreements.create'),
    actions: [h('a', { href: a ? '/agreements' : `/agreements${qs({ county: ctx.query.get('county') })}`, class: 'btn' }, t('common.cancel'))],
    onSubmit: async (v) => {
      const body = { ...v };
      if (a) {
        body.version = a.version;
        const saved = await patch(`/agreements/${a.id}`, body);
        ctx.navigate(`/agreements/${saved.id}`, { replace: true, notice: t('agreement.saved') });
      } else {
        if (editable !== '*') body.county = editable;
        for (const k of Object.keys(body)) if (body[k] == null) delete body[k];
        const saved = await post('/agreements', body);
        ctx.navigate(`/agreements/${saved.id}`, { replace: true, notice: t('agreement.created') });
      }
    },
  });
  return form.el;
}

function documentSection(a, ctx) {
  const doc = a.document;
  const parts = [];
  if (doc) {
    parts.push(facts([
      [t('document.file'), h('a', { href: `/api/v1/agreements/${a.id}/document`, download: doc.filename }, doc.filename)],
      [t('document.size'), fmtBytes(doc.size)],
      [t('document.uploaded'), fmtDateTime(doc.uploaded_at)],
      [t('document.sha256'), h('code', { class: 'hash' }, doc.sha256)],
    ]));
  } else {
    parts.push(h('p', null, t('agreement.noDocumentYet')));
  }
  if (a.can_edit) {
    const form = makeForm({
      fields: [{ name: 'file', label: doc ? t('document.replace') : t('document.choose'), type: 'file', required: true,
        accept: '.pdf,.png,.jpg,.jpeg,.odt,.doc,.docx', hint: t('document.hint') }],
      submitLabel: t('document.upload'),
      onSubmit: async (v) => {
        const file = v.file;
        const ext = (file.name.split('.').pop() || '').toLowerCase();
        const type = DOC_TYPES[ext] || file.type;
        if (file.size > 10 * 1024 * 1024) {
          form.showErrors([['file', t('document.tooLarge')]]);
          return;
        }
        await api('PUT', `/agreements/${a.id}/document`, file, {
          headers: { 'Content-Type': type || 'application/octet-stream', 'X-Filename': encodeURIComponent(file.name) },
        });
        ctx.refresh(t('document.uploadedOk', { name: file.name }));
      },
    });
    parts.push(form.el);
  }
  return section(t('agreement.document'), parts);
}

export default async function agreement(ctx) {
  const counties = await loadCounties();
  if (!ctx.params.id) {
    return h('div', null,
      breadcrumbs([[t('agreements.title'), '/agreements'], [t('agreements.new')]]),
      pageHeader(t('agreements.new')),
      agreementForm(null, ctx, counties));
  }
  const a = await get(`/agreements/${encodeURIComponent(ctx.params.id)}`);
  return h('div', null,
    breadcrumbs([[t('agreements.title'), `/agreements${ctx.user.county ? '' : qs({ county: a.county })}`], [a.title]]),
    pageHeader(a.title, { sub: `${countyName(a.county)} · ${labelOf('counterpart', a.counterpart_kind)}` }),
    a.can_edit
      ? section(t('agreement.details'), agreementForm(a, ctx, counties))
      : section(t('agreement.details'), facts([
        [t('agreement.counterpart'), a.counterpart],
        [t('agreement.kind'), labelOf('counterpart', a.counterpart_kind)],
        [t('agreement.signed'), fmtDate(a.signed)],
        [t('agreement.validity'), validity(a)],
        [t('agreement.note'), a.note],
      ]), notice(t('agreement.readOnly'), 'info')),
    documentSection(a, ctx),
    h('p', { class: 'muted' }, t('agreement.changed', { date: fmtDateTime(a.updated_at), version: a.version })));
}
