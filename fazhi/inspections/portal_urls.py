app_name = "inspections_portal"
urlpatterns: list = []
