// The report form's "use my location": fills latitude and longitude from navigator.geolocation.
// Optional: without script, or without permission, the form works and the fields stay as typed.
(function () {
  var button = document.querySelector("[data-geolocate]");
  if (!button || !("geolocation" in navigator)) return;
  var status = document.querySelector("[data-geo-status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("r-lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("r-lng").value = pos.coords.longitude.toFixed(6);
      status.textContent = "已获取位置（精度约 " + Math.round(pos.coords.accuracy) + " 米）";
    }, function () {
      status.textContent = "未能获取位置，可手动填写或留空。";
    }, {enableHighAccuracy: true, timeout: 10000, maximumAge: 60000});
  });
})();
