// What a server error code means, in the user's words ([zh-CN, English]). The server's own message is English for
// developers; a screen shows these instead (lib/api.js), so a driver never reads "load_not_in_hall" or an English
// sentence. tests/pwa/test_error_words.py fails when the backend raises a code that has no entry here.
import { grouped } from './format.js';
import { lang } from './i18n.js';
import { stateName } from './waybill-words.js';

export const ERROR_WORDS = {
  // The request itself
  bad_request: ['请求有误，请检查后重试', 'The request was not valid; check it and try again'],
  validation_error: ['填写的内容有误，请按提示修改', 'Some fields need correcting (see the notes)'],
  payload_too_large: ['提交的内容太大', 'What you sent is too large'],
  unsupported_media_type: ['不支持的内容格式', 'This format is not accepted'],
  unprocessable: ['无法处理这次提交', 'This request could not be processed'],
  method_not_allowed: ['不支持这个操作', 'This action is not possible here'],
  not_found: ['没有找到', 'Not found'],
  conflict: ['情况已变化，请刷新后重试', 'Things changed meanwhile; refresh and try again'],
  rate_limited: ['操作太频繁，请稍后再试', 'Too many tries; wait a moment and try again'],
  internal_error: ['服务器出错了，请稍后再试', 'Something went wrong on our side; try again later'],
  unavailable: ['服务暂时不可用，请稍后再试', 'The service is briefly unavailable; try again shortly'],
  busy: ['正在被其他人修改，请重试', 'Someone else is changing this right now; try again'],
  save_failed: ['保存失败，请重试', 'Could not save; try again'],
  snapshot_failed: ['保存失败，请重试', 'Could not save; try again'],
  network_error: ['网络不通，请检查网络后重试', 'No connection; check the network and try again'],
  // Signing in and sessions
  unauthorized: ['请先登录', 'Please sign in'],
  invalid_token: ['登录已失效，请重新登录', 'Your sign-in is no longer valid; sign in again'],
  token_expired: ['登录已过期，请重新登录', 'Your sign-in has expired; sign in again'],
  token_revoked: ['此账号的登录已被结束，请重新登录', "This account's sessions were ended; sign in again"],
  invalid_credentials: ['手机号或密码不正确', 'Wrong mobile number or password'],
  account_disabled: ['此账号已停用，请联系管理员', 'This account is disabled; contact your administrator'],
  account_not_found: ['没有这个账号', 'No such account'],
  account_pending: ['您的账号正在等待所属承运商审核，通过后即可登录', 'Your company has not approved this account yet; you can sign in once it does'],
  join_request_not_found: ['没有这条待审核的加入申请', 'No such request waiting for your approval'],
  phone_taken: ['这个手机号已注册', 'This mobile number is already registered'],
  too_many_code_tries: ['验证码错误次数过多，请重新获取', 'Too many wrong codes; request a new one'],
  csrf_refused: ['请在本应用内操作', 'Please do this from within the app'],
  cannot_disable_self: ['不能停用自己的账号', 'You cannot disable your own account'],
  user_not_found: ['没有这个用户', 'No such user'],
  idempotency_in_progress: ['上一次提交还在处理中，请稍候', 'Your previous submission is still being processed'],
  idempotency_key_required: ['请求缺少防重复编号', 'The request lacks its duplicate-protection key'],
  idempotency_key_reused: ['这次提交与之前的不同，请重新操作', 'This differs from an earlier submission; start again'],
  // Roles and companies
  forbidden: ['没有权限', 'Not allowed'],
  forbidden_role: ['您的角色不能执行此操作', 'Your role cannot do this'],
  forbidden_tenant: ['这条记录属于其他单位或矿点', 'This record belongs to another company or site'],
  forbidden_kind: ['客户的卸货点围栏只对调度中心开放', 'Delivery-site fences of customers are shown to the dispatch centre only'],
  forbidden_device: ['此设备不能调用这个接口', 'This device cannot call this'],
  org_not_found: ['没有这个单位', 'No such company'],
  carrier_not_found: ['没有这个承运商', 'No such carrier'],
  shipper_not_found: ['没有这个货主', 'No such shipper'],
  buyer_not_found: ['没有这个客户', 'No such buyer'],
  party_not_found: ['没有这个交易方', 'No such party'],
  // Fleet, drivers and certificates
  driver_not_found: ['没有这个司机', 'No such driver'],
  driver_inactive: ['此司机账号不能接单', 'This driver account cannot take loads'],
  driver_busy: ['司机已有进行中的运单', 'The driver already has an active waybill'],
  vehicle_not_found: ['没有这辆车', 'No such truck'],
  vehicle_busy: ['这辆车已有进行中的运单', 'This truck already has an active waybill'],
  vehicle_blocked: ['这辆车已被停用或拉黑', 'This truck is blocked'],
  vehicle_too_small: ['这辆车的核定载质量装不下这车货', 'This truck’s rated load is too small for this load'],
  plate_taken: ['这个车牌已登记', 'This plate is already registered'],
  invalid_plate: ['车牌号格式不正确', 'The plate number is not valid'],
  credential_not_found: ['还没有登记这位司机的证件', "No papers recorded for this driver yet"],
  invalid_certificate: ['证件号码格式或校验位不正确', 'The certificate number is not valid'],
  certificate_: ['证件缺失或已过期，请先补齐证件', 'A certificate is missing or expired; update it first'],
  // Orders, stock and the hall
  mine_not_found: ['没有这个矿点', 'No such site'],
  product_not_found: ['没有这个煤种', 'No such product'],
  out_of_stock: ['库存不足', 'Not enough coal in stock'],
  stock_changed: ['库存已变化，请刷新', 'The stock changed; refresh'],
  inventory_below_reserved: ['库存不能少于已预留的数量', 'Inventory cannot go below what is reserved'],
  allocation_exhausted: ['您的采购额度已用完', 'Your allocation is used up'],
  no_truck_fits: ['这家承运商没有能装这么多吨的车，请减少每车吨数或换一家', 'No truck of this carrier takes that many tonnes; lower the tonnes per truck or choose another carrier'],
  quota_exhausted: ['今天在这个矿的车数配额已用完', "Today's truck quota at this site is used up"],
  quota_plan_pending: ['今日配额正在计算，请稍后再试', "Today's quotas are being computed; try again shortly"],
  quota_release_failed: ['配额已归还', 'The quota was already given back'],
  release_failed: ['预留已归还', 'The reservation was already given back'],
  load_not_in_hall: ['这车货已被抢走或已撤下', 'This load was taken or withdrawn'],
  already_entrusted: ['已有承运商接受了这车货', 'A carrier has already accepted this load'],
  not_entrusted: ['这车货没有委托给您', 'This load was not entrusted to you'],
  deposit_unpaid: ['您的信用等级抢单需交保证金，运费账户余额不足', 'Your grade puts up a deposit on a grab, and the freight account cannot pay it'],
  grade_too_low: ['货主要求的信用等级高于您的等级', 'The shipper asks for a higher grade than yours'],
  party_suspended: ['账号正在审核中，暂不能接单', 'Suspended pending review: no loads for now'],
  no_truck_fits: ['这家承运商没有能装下这个吨数的车，请减少每车吨数', 'No truck of this carrier takes this tonnage; lower the tonnes per truck'],
  quote_changed: ['价格已变化，请看新报价后重新下单', 'The price changed; look at the new quote and order again'],
  not_your_order: ['只有这单的下单客户可以操作', 'Only the buyer of this order can do this'],
  // Waybills and trips
  waybill_not_found: ['没有找到这张运单', 'Waybill not found'],
  waybill_reassigned: ['这张运单已改派给其他司机', 'This waybill now belongs to another driver'],
  illegal_transition: ['运单当前状态不能执行此操作', "This cannot be done in the waybill's current state"],
  claim_mismatch: ['车辆或司机被另一张运单占用', 'The truck or driver is held by another waybill'],
  not_your_trip: ['只有这张运单的司机可以操作', "Only this waybill's driver can do this"],
  no_active_trip: ['您当前没有在途运单', 'You have no waybill on the road'],
  no_trip: ['运单还没有出发', 'The waybill is not on the road yet'],
  no_vehicle: ['运单还没有指定车辆', 'The waybill has no truck yet'],
  no_destination: ['这车货没有卸货地点', 'This load has no delivery point'],
  outside_fence: ['您不在指定区域内', 'You are not inside the area'],
  unknown_terminal: ['没有登记这个车载终端', 'This vehicle terminal is not registered'],
  fence_not_found: ['没有找到这个围栏', 'Fence not found'],
  invalid_geometry: ['地图范围画得不正确', 'The drawn area is not valid'],
  // Windows, queue and gate
  slot_not_found: ['没有这个时段', 'No such window'],
  slot_full: ['这个时段已约满，请选其他时段或排候补', 'This window is full; pick another or join the standby list'],
  slot_closed: ['这个时段已关闭', 'This window is closed'],
  slot_started: ['这个时段已开始，请选更晚的时段', 'This window has started; pick a later one'],
  seat_not_held: ['这个时段没有可释放的预约', 'No booked seat to release in this window'],
  booking_not_found: ['没有找到这个预约', 'Booking not found'],
  booking_exists: ['预约已存在', 'This booking already exists'],
  booking_changed: ['预约已变化，请刷新后重试', 'The booking changed; refresh and try again'],
  booking_not_active: ['这个预约已结束或已取消', 'This booking has ended or was cancelled'],
  below_booked: ['不能少于已预约的车数', 'Cannot go below the trucks already booked'],
  already_checked_in: ['已经签到过了', 'Already checked in'],
  no_manual_request: ['没有待处理的人工签到申请', 'No pending manual check-in for this booking'],
  not_waiting: ['这辆车不在排队中', 'This truck is not waiting in the queue'],
  not_called: ['还没有叫号，请在停车场等候', 'Not called yet; wait in the lot'],
  lot_full: ['停车场已满，请在场外等候，排队位置保留', 'The lot is full; wait outside, you keep your place'],
  stats_changed: ['排队统计更新失败，请重试', 'The queue figures could not be updated; try again'],
  invalid_pass: ['通行证无效', 'The gate pass is not valid'],
  pass_wrong_mine: ['这张通行证属于其他矿', 'This pass is for another site'],
  wrong_mine: ['车辆不在这个矿', 'The truck is not at this site'],
  site_exists: ['站点编号已被使用', 'This site id is already used'],
  site_changed: ['站点信息已被修改，请刷新', 'The site changed meanwhile; refresh'],
  // Weighing, tickets and alerts
  ticket_exists: ['这次过磅已记录', 'This weighing was already recorded'],
  ticket_not_found: ['没有找到这张磅单', 'Weigh ticket not found'],
  weigh_not_loaded: ['还没有装车，不能过重磅', 'Not loaded yet: no gross weighing'],
  weigh_out_of_order: ['过磅顺序不对：先空车后重车', 'Weighings out of order: tare first, then gross'],
  reweigh_not_allowed: ['这张运单没有可退回的重磅', 'This waybill has no gross weighing to send back'],
  reweigh_already_sent: ['这次过磅已退回', 'This weighing was already sent back'],
  other_alert_open: ['还有其他预警扣着这辆车', 'Another open alert still holds this truck'],
  alert_not_found: ['没有找到这条预警', 'Alert not found'],
  alert_resolved: ['这条预警已被处理', 'This alert was already resolved'],
  // Receipts
  receipt_not_found: ['还没有回单', 'No receipt yet'],
  receipt_exists: ['这张运单已有回单', 'This waybill already has a receipt'],
  receipt_decided: ['回单已确认或已提出异议', 'The receipt was already confirmed or disputed'],
  receipt_not_disputed: ['回单没有异议', 'The receipt is not disputed'],
  not_delivered: ['货物送达后才能评价', 'Rate once the load is delivered'],
  delivery_not_found: ['没有找到这次送达', 'Delivery not found'],
  // Money
  payment_not_found: ['这个订单还没有付款', 'No payment for this order'],
  payment_expired: ['付款时间已过，订单已取消', 'The time to pay is over; the order was cancelled'],
  payment_moved: ['付款状态已变化，请刷新', 'The payment changed; refresh'],
  not_payable: ['这个订单现在不能付款', 'This order cannot be paid now'],
  already_paid: ['已经付过款了', 'Already paid'],
  provider_not_found: ['不支持这种支付方式', 'This payment method is not available'],
  provider_unavailable: ['支付渠道暂时没有响应，请重试', 'The payment provider did not answer; try again'],
  insufficient_funds: ['余额或授信额度不足', 'Not enough balance or credit'],
  bank_reference_used: ['这笔银行流水已入账', 'This bank reference was already recorded'],
  already_posted: ['这笔账已入账', 'This entry is already posted'],
  journal_failed: ['记账失败，请重试', 'The posting was refused; try again'],
  settlement_no_payee: ['这张运单没有收款的承运方', 'This waybill has no carrier or driver to pay'],
  settlement_no_payer: ['这张运单没有付款方', 'This waybill has no one to settle from'],
  adjustments_closed: ['运单已结算，不能再调整', 'This waybill is settled: no more adjustments'],
  adjustments_changed: ['结算时有新的调整，请重新结算', 'An adjustment arrived while settling; settle again'],
  too_many_shippers: ['货主太多，请用导出功能', 'Too many shippers here; use the export'],
  // Trust
  no_trust_party: ['此账号没有信用记录', 'This account has no credit record'],
  rating_locked: ['评价只能在 24 小时内修改', 'A rating can be changed for 24 h only'],
  rating_changed: ['评价已变化，请重试', 'The rating changed meanwhile; try again'],
  complaint_not_found: ['没有找到这条投诉', 'Complaint not found'],
  complaint_answered: ['这条投诉已答复', 'This complaint was already answered'],
  appeal_not_found: ['没有找到这条申诉', 'Appeal not found'],
  appeal_decided: ['这条申诉已处理', 'This appeal was already decided'],
  already_appealed: ['这条记录已申诉过', 'This event was already appealed'],
  event_not_found: ['近 90 天没有这条记录', 'No such event in your last 90 days'],
  event_changed: ['这条记录已变化，请刷新', 'This event changed meanwhile; refresh'],
  trust_counter_failed: ['信用计数更新失败，请重试', 'The credit counters could not be updated; try again'],
  // Devices, files, messages, webhooks, the regulatory feed
  device_auth_required: ['设备请求缺少签名', 'The device request is not signed'],
  device_bad_signature: ['设备签名不正确', "The device's signature does not match"],
  device_bad_timestamp: ['设备时间格式不正确', "The device's timestamp is not valid"],
  device_stale_request: ['设备时间与服务器相差太大', "The device's clock is too far off"],
  device_replayed: ['这条设备消息已收到过', 'This device message was already received'],
  device_unknown: ['未登记或已停用的设备', 'Unknown or disabled device'],
  device_not_found: ['没有这台设备', 'No such device'],
  device_without_mine: ['设备没有分配到矿点', 'This device is not assigned to a site'],
  device_site_unknown: ['设备所在站点已不存在，请重新登记', "This device's site no longer exists; re-register it"],
  device_lane_unknown: ['设备所在车道已不存在', "This device's lane no longer exists"],
  bad_signature: ['链接无效', 'The link is not valid'],
  link_expired: ['链接已过期', 'The link has expired'],
  file_not_found: ['没有找到这个文件', 'File not found'],
  message_not_found: ['没有找到这条消息', 'Message not found'],
  webhook_not_found: ['没有找到这个推送地址', 'Webhook not found'],
  too_many_webhooks: ['推送地址数量已达上限', 'Too many webhooks for this company'],
  webhook_outbox: ['推送记录写入失败，请重试', 'The webhook event could not be recorded; try again'],
  not_resendable: ['这条记录现在不能重发', 'This cannot be resent now'],
  document_not_found: ['没有找到这份监管单据', 'No such regulatory document'],
  report_not_found: ['没有找到这份报表', 'Report not found'],
  place_not_found: ['没有找到这个常用地址', 'Saved address not found'],
  too_many_places: ['常用地址已达上限，请先删除一些', 'Too many saved addresses; delete some first'],
};

// Sharper words when the reply's details carry the numbers ({x_kg} shown in 吨, {state} as its name); a reply
// without them gets the code's plain words above.
export const DETAIL_WORDS = {
  vehicle_too_small: ['这辆车核定载质量 {rated_load_kg} 吨，装不下这车 {tonnage_kg} 吨', "This truck's rated load of {rated_load_kg} t is below this load's {tonnage_kg} t"],
  no_truck_fits: ['这家承运商最大的车只能装 {largest_kg} 吨，请减少每车吨数', "This carrier's largest truck takes {largest_kg} t; lower the tonnes per truck"],
  out_of_stock: ['库存不足：这种煤只剩 {available_kg} 吨', 'Not enough in stock: {available_kg} t of this coal left'],
  allocation_exhausted: ['采购额度不足：这里只剩 {remaining_kg} 吨', 'Your allocation here has only {remaining_kg} t left'],
  too_many_places: ['常用地址最多 {limit} 个，请先删除一些', 'At most {limit} saved addresses; delete some first'],
  illegal_transition: ['运单{state}，不能执行此操作', 'The waybill is {state}: this cannot be done now'],
  weigh_out_of_order: ['运单{state}，过磅顺序不对', 'The waybill is {state}: weighings out of order'],
};

function detailValue(key, value) {
  if (key === 'state') return stateName(value);
  return key.endsWith('_kg') ? grouped(Number(value) / 1000) : String(value);
}

/** The user's words for an error code (a `certificate_*` code shares its prefix's), with its details' numbers
 * when the reply carries them; null for a code without words. */
export function errorWords(code, details = {}) {
  const en = lang() === 'en';
  const sharp = DETAIL_WORDS[code];
  if (sharp) {
    const keys = [...sharp[0].matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    if (details && keys.every((k) => details[k] !== undefined && details[k] !== null)) {
      return sharp[en ? 1 : 0].replace(/\{(\w+)\}/g, (_, k) => detailValue(k, details[k]));
    }
  }
  const entry = ERROR_WORDS[code] || (code && code.startsWith('certificate_') ? ERROR_WORDS.certificate_ : null);
  if (!entry) return null;
  return en ? entry[1] : entry[0];
}

// A field as the form names it ([zh-CN, English, unit]). The unit is the form's, not the API's: a *_kg limit
// from the server (kg) is shown in 吨, a *_fen one in 元. tests/pwa/test_error_words.py fails when a request
// field or a field the backend names in an error has no entry here.
export const FIELD_WORDS = {
  about: ['投诉对象', 'Complaint about'],
  about_id: ['投诉对象', 'Complaint about'],
  address: ['地址', 'Address'],
  account: ['账户', 'Account'],
  accuracy_m: ['定位精度', 'Position accuracy', 'm'],
  AlarmInfoPlate: ['车牌识别结果', 'Plate reading'],
  allowance_kind: ['途损允许方式', 'Loss allowance type'],
  allowance_value: ['途损允许值', 'Loss allowance'],
  amount_fen: ['金额', 'Amount', 'yuan'],
  at: ['时间', 'Time'],
  at_fault_id: ['责任方', 'Party at fault'],
  at_ms: ['时间', 'Time'],
  avg_truck_load_kg: ['平均每车装载量', 'Average load per truck', 't'],
  axles: ['轴数', 'Axles', 'axles'],
  backlog: ['积压车数', 'Backlog', 'trucks'],
  bank_reference: ['银行流水号', 'Bank reference'],
  bbox: ['地图范围', 'Map area'],
  body: ['提交的内容', 'What was sent'],
  body_color: ['车身颜色', 'Body colour'],
  booked: ['预约车数', 'Booked trucks', 'trucks'],
  booking_id: ['预约', 'Booking'],
  buffer: ['缓冲车数', 'Buffer', 'trucks'],
  business_permit_expires: ['经营许可证有效期', 'Operating permit expiry'],
  business_permit_no: ['道路运输经营许可证号', 'Operating permit number'],
  buyer_phone: ['客户手机号', "Buyer's mobile number"],
  cadences: ['提醒频率', 'Reminder frequency'],
  capacity: ['车数', 'Trucks', 'trucks'],
  carrier_id: ['承运商', 'Carrier'],
  category: ['类别', 'Category'],
  confidence: ['识别可信度', 'Reading confidence'],
  content_type: ['文件格式', 'File type'],
  count: ['数量', 'Count'],
  credit_code: ['统一社会信用代码', 'Unified social credit code'],
  cursor: ['翻页位置', 'Page position'],
  cycle: ['装车周期', 'Loading cycle', 'min'],
  date: ['日期', 'Date'],
  date_from: ['开始日期', 'From'],
  date_to: ['结束日期', 'To'],
  day_end_hour: ['每日结束时间', 'Day ends at', 'h'],
  day_start_hour: ['每日开始时间', 'Day starts at', 'h'],
  decision: ['审核结果', 'Decision'],
  destination: ['卸货地点', 'Delivery place'],
  detention_fen_per_hour: ['压车费', 'Detention fee', 'yuan_h'],
  detention_free_minutes: ['免费等候时间', 'Free waiting time', 'min'],
  device: ['设备', 'Device'],
  'device.uniqueId': ['终端编号', 'Terminal id'],
  direction: ['进出方向', 'Direction'],
  drive: ['到矿车程', 'Drive to the site', 'min'],
  driver_id: ['司机', 'Driver'],
  endpoint: ['推送地址', 'Push address'],
  energy_type: ['能源类型', 'Energy type'],
  event: ['事件', 'Event'],
  event_id: ['记录', 'Event'],
  events: ['推送事件', 'Events'],
  expirationTime: ['有效期', 'Expiry'],
  fee_permille: ['服务费率', 'Fee rate', 'permille'],
  fen: ['金额', 'Amount', 'yuan'],
  fixes: ['定位点', 'Positions'],
  fmt: ['格式', 'Format'],
  foreseen: ['预见爽约比例', 'Foreseen no-shows'],
  format: ['格式', 'Format'],
  freight_fen_per_t: ['运价', 'Freight', 'yuan_t'],
  from: ['开始', 'From'],
  gate_fence: ['门岗围栏', 'Gate fence'],
  gate_phone: ['门岗电话', 'Gate phone'],
  geometry: ['范围', 'Area'],
  granted: ['同意', 'Consent'],
  gross_mass_kg: ['总质量', 'Gross mass', 't'],
  id: ['编号', 'Code'],
  id_number: ['身份证号', 'ID card number'],
  ids: ['要查的单位', 'Companies asked for'],
  invite_code: ['邀请码', 'Invite code'],
  'Idempotency-Key': ['防重复编号', 'Duplicate-protection key'],
  'Idempotency-Attempt': ['发送次数', 'Send count'],
  image_ref: ['照片', 'Photo'],
  inventory_kg: ['库存', 'Inventory', 't'],
  kg: ['重量', 'Weight', 't'],
  keys: ['推送密钥', 'Push keys'],
  kind: ['类型', 'Type'],
  label: ['名称', 'Label'],
  lane: ['车道', 'Lane'],
  lane_id: ['车道', 'Lane'],
  lanes: ['车道', 'Lanes'],
  lang: ['语言', 'Language'],
  lat: ['纬度', 'Latitude'],
  late_sd: ['迟到波动', 'Lateness spread', 'min'],
  licence_class: ['准驾车型', 'Licence class'],
  licence_valid_until: ['驾驶证有效期', 'Licence valid until'],
  license_no: ['车牌号', 'Plate number'],
  limit: ['条数', 'Number of rows'],
  limit_fen: ['授信额度', 'Credit limit', 'yuan'],
  loading_lanes: ['装车道', 'Loading lanes'],
  location: ['位置', 'Location'],
  lon: ['经度', 'Longitude'],
  lot_bound: ['停车场容量', 'Lot size', 'trucks'],
  min_driver_grade: ['司机最低信用等级', 'Lowest driver grade'],
  min_freight_fen_per_t: ['最低运价', 'Lowest freight', 'yuan_t'],
  mine_id: ['矿点', 'Site'],
  name: ['名称', 'Name'],
  name_en: ['英文名称', 'English name'],
  no_show: ['爽约比例', 'No-show share'],
  on_time: ['准时比例', 'On-time share'],
  opt_outs: ['不接收的消息', 'Messages turned off'],
  org_id: ['单位', 'Company'],
  otp: ['验证码', 'Verification code'],
  outcome: ['处理结果', 'Outcome'],
  override_reason: ['跳号原因', 'Reason for calling out of turn'],
  parking_drive_minutes: ['停车场到门岗车程', 'Drive from the lot to the gate', 'min'],
  parking_fence: ['停车场围栏', 'Parking fence'],
  party: ['对象', 'Party'],
  party_ids: ['对象', 'Parties'],
  password: ['密码', 'Password'],
  phone: ['手机号', 'Mobile number'],
  photo_keys: ['照片', 'Photos'],
  place_code: ['地点', 'Place'],
  plan_kg: ['计划量', 'Plan', 't'],
  plate: ['车牌号', 'Plate number'],
  plate_color: ['车牌颜色', 'Plate colour'],
  point: ['位置', 'Point'],
  polygon: ['范围', 'Area'],
  position: ['定位', 'Position'],
  'position.fixTime': ['定位时间', 'Position time'],
  'position.valid': ['定位', 'Position'],
  prepaid_form: ['预付方式', 'Prepayment form'],
  prepaid_permille: ['预付比例', 'Prepaid share', 'permille'],
  price_fen_per_t: ['价格', 'Price', 'yuan_t'],
  product_id: ['煤种', 'Coal product'],
  products: ['煤种', 'Coal products'],
  purpose: ['用途', 'Purpose'],
  q: ['搜索内容', 'Search'],
  quote_total_fen: ['报价', 'Quoted price', 'yuan'],
  qualification_expires: ['从业资格证有效期', 'Qualification expiry'],
  qualification_no: ['从业资格证号', 'Qualification number'],
  quiet_end: ['免打扰结束', 'Quiet hours end'],
  quiet_start: ['免打扰开始', 'Quiet hours start'],
  radius_m: ['半径', 'Radius', 'm'],
  rated_load_kg: ['核定载质量', 'Rated load', 't'],
  ready_at_ms: ['就绪时间', 'Ready at'],
  reason: ['原因', 'Reason'],
  receipt_code: ['收货码', 'Receipt code'],
  received_kg: ['实收重量', 'Weight received', 't'],
  response: ['答复', 'Answer'],
  role: ['角色', 'Role'],
  rounding_fen: ['抹零单位', 'Rounding', 'yuan'],
  route: ['路线', 'Route'],
  sales_org_id: ['销售公司', 'Sales company'],
  seeds: ['模拟次数', 'Runs'],
  shipper_id: ['货主', 'Shipper'],
  shipper_org_id: ['货主', 'Shipper'],
  signature_key: ['签名', 'Signature'],
  signer_name: ['签收人', 'Signed by'],
  size_bytes: ['文件大小', 'File size', 'bytes'],
  slot_id: ['时段', 'Window'],
  stable: ['稳定', 'Stable'],
  standby_from_ms: ['候补开始时间', 'Standby from'],
  stars: ['星级', 'Stars'],
  state: ['状态', 'State'],
  status: ['状态', 'Status'],
  suspended: ['暂停', 'Suspended'],
  tags: ['标签', 'Tags'],
  tare_kg: ['自重', 'Tare', 't'],
  target: ['评价对象', 'Rated party'],
  terminal_id: ['北斗终端号', 'Beidou terminal id'],
  text: ['内容', 'Text'],
  theme: ['主题', 'Theme'],
  timeStamp: ['时间', 'Time'],
  to: ['结束', 'To'],
  token: ['凭证', 'Token'],
  tonnage_kg: ['吨数', 'Tonnage', 't'],
  transport_cert_expires: ['道路运输证有效期', 'Transport certificate expiry'],
  transport_cert_no: ['道路运输证号', 'Transport certificate number'],
  trucks: ['车数', 'Trucks', 'trucks'],
  trucks_per_lane_hour: ['每车道每小时车数', 'Trucks per lane per hour', 'trucks'],
  upheld: ['是否成立', 'Upheld'],
  url: ['推送地址', 'Address'],
  vehicle_color: ['车身颜色', 'Body colour'],
  vehicle_id: ['车辆', 'Truck'],
  vehicle_type: ['车型', 'Vehicle type'],
  vin: ['车辆识别代号', 'VIN'],
  wanted_date: ['要货日期', 'Wanted on'],
  waybill_id: ['运单', 'Waybill'],
  where: ['地点', 'Place'],
  window: ['时段长度', 'Window length', 'min'],
  window_minutes: ['时段长度', 'Window length', 'min'],
};

// What is wrong with a field (details.problems[].code from backend/common/field_problems.py), with {min}/{max}
// already in the form's unit.
export const PROBLEM_WORDS = {
  required: ['必须填写', 'is required'],
  invalid: ['格式不正确', 'is not valid'],
  unknown_field: ['不能提交这一项', 'is not accepted here'],
  not_a_number: ['请填数字', 'must be a number'],
  not_a_date: ['请填正确的日期', 'must be a date'],
  not_one_of: ['请从选项中选择', 'must be one of the choices'],
  out_of_range: ['应在 {min}–{max}{unit}之间', 'must be {min}–{max}{unit}'],
  too_small: ['不能小于 {min}{unit}', 'must be at least {min}{unit}'],
  too_large: ['不能大于 {max}{unit}', 'must be at most {max}{unit}'],
  length_between: ['应为 {min}–{max} 个字', 'must be {min}–{max} characters'],
  too_short: ['至少 {min} 个字', 'must be at least {min} characters'],
  too_long: ['最多 {max} 个字', 'must be at most {max} characters'],
  length_exact: ['应为 {length} 个字', 'must be {length} characters'],
};

// The form's unit: [divide the API's value by, zh suffix, en suffix].
const UNITS = {
  t: [1000, ' 吨', ' t'], yuan: [100, ' 元', ' CNY'], yuan_t: [100, ' 元/吨', ' CNY/t'], yuan_h: [100, ' 元/小时', ' CNY/h'],
  m: [1, ' 米', ' m'], min: [1, ' 分钟', ' min'], h: [1, ' 点', ':00'], trucks: [1, ' 车', ' trucks'],
  axles: [1, ' 轴', ' axles'], bytes: [1024 * 1024, ' MB', ' MB'], permille: [1, '‰', '‰'],
};

/** A field's name as the form shows it ('lanes[0].id' and 'destination.point' fall back to their first part). */
export function fieldName(field) {
  const en = lang() === 'en';
  const entry = FIELD_WORDS[field] || FIELD_WORDS[String(field).split(/[.[]/)[0]];
  return entry ? entry[en ? 1 : 0] : (en ? 'A field' : '有一项');
}

const shown = (value, div) => grouped(Number(value) / div);

/** One problem ({field, code, min?, max?}) in the user's words: '吨数应在 10–49 吨之间'. */
export function problemWords(problem) {
  const en = lang() === 'en';
  const entry = FIELD_WORDS[problem.field] || FIELD_WORDS[String(problem.field).split(/[.[]/)[0]] || [];
  const [div, zhUnit, enUnit] = UNITS[entry[2]] || [1, '', ''];
  const words = (PROBLEM_WORDS[problem.code] || PROBLEM_WORDS.invalid)[en ? 1 : 0]
    .replace('{unit}', en ? enUnit : zhUnit)
    .replace(/\{(min|max|length)\}/g, (_, key) => (problem[key] === undefined ? '?' : shown(problem[key], key === 'length' ? 1 : div)));
  return en ? `${fieldName(problem.field)} ${words}` : `${fieldName(problem.field)}${words}`;
}

/** details.problems -> {top-level field: words} for a form; null when the reply carries no problems. */
export function problemsByField(details) {
  const problems = (details && details.problems) || [];
  if (!problems.length) return null;
  const out = {};
  for (const p of problems) {
    const top = String(p.field).split(/[.[]/)[0];
    if (!(top in out)) out[top] = problemWords(p);
  }
  return out;
}

/** The whole reply in one line: '吨数应在 10–49 吨之间；卸货地点格式不正确' (null without problems). */
export function problemsSummary(details) {
  const byField = problemsByField(details);
  return byField ? Object.values(byField).join(lang() === 'en' ? '; ' : '；') : null;
}
