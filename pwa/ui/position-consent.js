// The driver's consent to send the phone's position at departure and at delivery to the province's monitoring
// system (the regulatory feed). Recorded by the server with its time and wording; withdrawable at any time.
import { h } from './dom.js';

const MESSAGES = {
  zh: {
    'consent.title': '位置报送授权',
    'consent.text': '同意在发车和卸货时，把本手机的位置随电子运单报送给省级网络货运监管平台（交通运输主管部门要求）。不同意不影响接单，监管平台将只收到车载终端的轨迹。',
    'consent.on': '已同意（{when}）', 'consent.off': '未同意', 'consent.grant': '同意报送', 'consent.withdraw': '撤回同意',
  },
  en: {
    'consent.title': 'Sending your position',
    'consent.text': "Agree that this phone's position at departure and at delivery goes with the electronic waybill to the province's freight-platform monitoring system (a transport authority requirement). Saying no does not stop you taking loads: the province then gets only the truck terminal's track.",
    'consent.on': 'Agreed ({when})', 'consent.off': 'Not agreed', 'consent.grant': 'Agree', 'consent.withdraw': 'Withdraw',
  },
};

/** A card with the current consent and one button to give or withdraw it; `when(ms)` formats the time. */
export function consentCard(ctx, when) {
  ctx.addMessages(MESSAGES);
  const { t } = ctx;
  const state = h('p', { class: 'consent-state', role: 'status' });
  const button = h('button', { type: 'button' });
  const card = h('section', { class: 'card consent', 'aria-labelledby': 'consent-h' },
    h('h3', { id: 'consent-h' }, t('consent.title')), h('p', { class: 'hint' }, t('consent.text')), state, button);

  function show(consent) {
    const granted = consent.granted === 'yes';
    card.dataset.granted = granted ? 'yes' : 'no';
    state.textContent = granted ? t('consent.on', { when: when(consent.granted_at) }) : t('consent.off');
    button.textContent = t(granted ? 'consent.withdraw' : 'consent.grant');
    button.onclick = async () => {
      button.disabled = true;
      try {
        show(await ctx.api.send('PUT', '/api/regfeed/consent', { granted: !granted }));
      } catch (e) {
        ctx.toast(e.message);
      } finally {
        button.disabled = false;
      }
    };
  }
  ctx.api.get('/api/regfeed/consent').then(show, () => { state.textContent = t('consent.off'); });
  return card;
}
